import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { runInRequestContext } from '../request-context/request-context';
import { requestIdFor } from '../request-context/request-id';
import { ProfilerAccess } from './profiler-access.guard';
import { ProfileStore } from './profile-store';
import { ProfilingMetrics } from './profiling.metrics';
import { findingsOf } from './repeated-statements';
import { ProfileOptions, RequestProfile, UNMATCHED_ROUTE } from './request-profile';
import { formatServerTiming } from './server-timing';
import { SlowQueryExplainer } from './slow-query-explainer';

/** `route` is Express's matched route, set once the router has chosen a handler. */
type ProfiledRequest = IncomingMessage & { id?: string; profile?: RequestProfile; originalUrl?: string; route?: { path?: unknown } };
type Next = (error?: unknown) => void;
/** ServerResponse.writeHead with its three positions spelled out (its overloads hide the three-argument form). */
type WriteHead = (this: ServerResponse, statusCode: number, statusMessage?: string, headers?: OutgoingHttpHeaders) => ServerResponse;

/** Asks for the request's profile to be kept wherever profiles are shared; its value is the profiler token. */
export const PROFILER_CAPTURE_HEADER = 'x-profiler-capture';
/** Only the public API carries profiling headers; health, metrics and docs stay plain. */
const PROFILED_HEADER_PATH = /^\/v1(\/|$)/;
/** The profiler's own requests would crowd out the ones being inspected. */
const UNRECORDED_PATH = /^\/(v1\/)?_profiler(\/|$)|^\/metrics$/;

function profileOf(request: object): RequestProfile | undefined {
  return (request as ProfiledRequest).profile;
}

/**
 * The route template Express matched ('/v1/venues/:idOrSlug'), known whatever answered the request
 * (the handler, or a guard that refused it: a 401, a limit's 429); unmatched for a 404 or a body
 * the parser refused.
 */
function routeTemplateOf(request: ProfiledRequest): string {
  return typeof request.route?.path === 'string' ? request.route.path : UNMATCHED_ROUTE;
}

/**
 * Opens a profile for each request, writes the profiling headers at the moment the response
 * headers go out, and on finish files the profile in the store, the metrics and the N+1 /
 * budget / slow-query reports.
 */
@Injectable()
export class RequestProfiler {
  private readonly logger = new Logger('Profiler');
  private readonly profileOptions: ProfileOptions;
  /** Called by the response ('finish' passes no argument, the emitter is `this`). */
  private readonly onResponseFinish: (this: ServerResponse) => void;

  constructor(
    private readonly config: AppConfig,
    private readonly store: ProfileStore,
    private readonly metrics: ProfilingMetrics,
    private readonly slowQueries: SlowQueryExplainer,
    private readonly access: ProfilerAccess,
  ) {
    this.profileOptions = { captureParams: config.PROFILER_CAPTURE_PARAMS, slowQueryMs: config.SLOW_QUERY_MS, idleSessionMs: config.PROFILER_IDLE_SESSION_MS };
    const profiler = this;
    this.onResponseFinish = function (this: ServerResponse) {
      profiler.finish(this);
    };
  }

  /** First middleware: before the body parser, so even a 400/413 from parsing is profiled. */
  readonly open = (request: IncomingMessage, response: ServerResponse, next: Next): void => {
    const profiledRequest = request as ProfiledRequest;
    profiledRequest.id ??= requestIdFor(request, response);
    if (!this.config.PROFILER_ENABLED) return next();

    const url = profiledRequest.originalUrl ?? request.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const profile = new RequestProfile(profiledRequest.id, request.method ?? 'GET', path, this.profileOptions);
    const capture = request.headers[PROFILER_CAPTURE_HEADER];
    if (capture !== undefined) profile.captureRequested = this.access.accepts(typeof capture === 'string' ? capture : undefined);
    profiledRequest.profile = profile;
    // 'finish' fires once; one listener for every response spares the closure (and once()'s wrapper) per request.
    response.on('finish', this.onResponseFinish);
    next();
  };

  /**
   * After the body parser: stream events lose the async context, so the request's context (its
   * id, its profile) is entered here, and everything downstream (guards, pipes, handler, driver,
   * log lines) runs inside it.
   */
  readonly enter = (request: IncomingMessage, _response: ServerResponse, next: Next): void => {
    const profiledRequest = request as ProfiledRequest;
    runInRequestContext({ requestId: profiledRequest.id, profile: profiledRequest.profile }, next);
  };

  /**
   * Writes the profiling headers the moment a response's headers go out (so serialization is
   * measured too), as the writeHead of the app's response prototype (Express's `app.response`):
   * one method for every response, where a wrapper per response would cost a closure and an own
   * property added after Express changed the response's prototype (a slow transition in V8).
   */
  writeHeadersThrough(responsePrototype: ServerResponse): void {
    if (!this.config.PROFILER_ENABLED) return;
    const writeHead = responsePrototype.writeHead as WriteHead;
    const withHeaders = this.config.profilerHeadersEnabled;
    // writeHead(statusCode, statusMessage?, headers?) passed through as is: Node reads a non-string second argument as the headers.
    responsePrototype.writeHead = function profiledWriteHead(this: ServerResponse, statusCode: number, statusMessage?: string, headers?: OutgoingHttpHeaders) {
      const profile = profileOf(this.req);
      if (profile) {
        profile.totalMs = profile.now();
        profile.markHeadersSent(profile.totalMs);
        if (withHeaders && !this.headersSent && PROFILED_HEADER_PATH.test(profile.path)) {
          this.setHeader('Server-Timing', formatServerTiming(profile, profile.totalMs));
          this.setHeader('X-Query-Count', String(profile.statementCount));
          this.setHeader('X-DB-Sessions', String(profile.sessions()));
        }
      }
      return writeHead.call(this, statusCode, statusMessage, headers);
    } as ServerResponse['writeHead'];
  }

  private finish(response: ServerResponse): void {
    const request = response.req as ProfiledRequest;
    const profile = request.profile;
    if (!profile) return;
    profile.route = routeTemplateOf(request);
    profile.status = response.statusCode;
    if (profile.headersAtMs === undefined) profile.totalMs = profile.now();
    findingsOf(profile, this.config.PROFILER_N_PLUS_ONE_THRESHOLD);
    this.metrics.observe(profile);
    if (UNRECORDED_PATH.test(profile.path)) return;
    this.store.add(profile);
    this.reportFindings(profile);
    this.slowQueries.inspect(profile);
  }

  /** Outside strict mode, problems are one warning line each (never a line per statement). */
  private reportFindings(profile: RequestProfile): void {
    for (const finding of profile.findings) {
      if (finding.allowed !== null) continue;
      const site = finding.callSite ? ` at ${finding.callSite.at.file}:${finding.callSite.at.line}` : '';
      this.logger.warn(
        `${finding.kind === 'n+1' ? 'N+1' : 'duplicate statement'} on ${profile.method} ${profile.route} (request ${profile.id}): ${finding.count}x${finding.parallel ? ' in parallel' : ''}${site} ${finding.sql.slice(0, 300)}; ${finding.fix}`,
      );
    }
    if (profile.budget && profile.statementCount > profile.budget.limit) {
      this.logger.warn(`query budget exceeded on ${profile.method} ${profile.route} (request ${profile.id}): ${profile.statementCount} > ${profile.budget.limit}`);
    }
  }

  /** The profile summary the per-request log line carries. */
  static logSummary(request: object): Record<string, unknown> {
    const profile = profileOf(request);
    if (!profile || profile.status === 0) return {};
    return {
      route: profile.route,
      totalMs: Math.round(profile.totalMs * 10) / 10,
      queries: profile.statementCount,
      sessions: profile.sessions(),
      dbMs: Math.round(profile.dbMs * 10) / 10,
      cache: profile.cache ?? null,
      ...(profile.findings.length > 0 && { repeatedStatements: profile.findings.length }),
    };
  }
}
