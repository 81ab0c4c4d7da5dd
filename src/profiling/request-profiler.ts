import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { runInRequestContext } from '../request-context/request-context';
import { requestIdFor } from '../request-context/request-id';
import { ProfilerAccess } from './profiler-access.guard';
import { ProfileStore } from './profile-store';
import { ProfilingHeaders, type ProfilingHeaderValues } from './profiling-headers';
import { ProfilingMetrics } from './profiling.metrics';
import { findingsOf } from './repeated-statements';
import { ProfileOptions, RequestProfile, StageList, UNMATCHED_ROUTE } from './request-profile';
import { formatServerTiming } from './server-timing';
import { SlowQueryExplainer } from './slow-query-explainer';

/** `route` is Express's matched route, set once the router has chosen a handler. */
type ProfiledRequest = IncomingMessage & { id?: string; profile?: RequestProfile; originalUrl?: string; route?: { path?: unknown } };
type Next = (error?: unknown) => void;
/** The part of Nest's HTTP adapter that sends a handler's result or a filter's problem body. */
export interface Replying {
  reply(response: ServerResponse, body: unknown, statusCode?: number): unknown;
}

/** Asks for the request's profile to be kept wherever profiles are shared; its value is the profiler token. */
export const PROFILER_CAPTURE_HEADER = 'x-profiler-capture';
const SLASH = 0x2f;
const QUESTION_MARK = 0x3f;

// A profile keeps its request target (path and query); these read its path in place, without
// slicing it: they run on every response.

/** The path of `target` ends at `at`: the target's end, or its query. */
function pathEndsAt(target: string, at: number): boolean {
  return at === target.length || target.charCodeAt(at) === QUESTION_MARK;
}

/** The path of `target` is `path`. */
function isAt(target: string, path: string): boolean {
  return target.startsWith(path) && pathEndsAt(target, path.length);
}

/** The path of `target` is `prefix` or a path below it. */
function isWithin(target: string, prefix: string): boolean {
  return target.startsWith(prefix) && (pathEndsAt(target, prefix.length) || target.charCodeAt(prefix.length) === SLASH);
}

/** Only the public API carries profiling headers; health, metrics and docs stay plain. */
const carriesProfilingHeaders = (target: string) => isWithin(target, '/v1');
/** The profiler's own requests would crowd out the ones being inspected. */
const isRecorded = (target: string) => !(isAt(target, '/metrics') || isWithin(target, '/_profiler') || isWithin(target, '/v1/_profiler'));

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
 * Opens a profile for each request and closes it the moment the response headers go out: writes
 * the profiling headers (so serialization is measured too), then files the profile in the store,
 * the metrics and the N+1 / budget / slow-query reports. Every response writes its header block
 * (profiling-headers.ts), so no listener is added per response; what a request does
 * after its headers are out still lands in its stored profile, but not in the headers or metrics.
 */
@Injectable()
export class RequestProfiler {
  private readonly logger = new Logger('Profiler');
  private readonly profileOptions: ProfileOptions;
  // Read once: the configuration does not change while the app runs, and it is a dictionary in V8
  // (its validator deletes the environment's other variables), a hash look-up per read.
  private readonly enabled: boolean;
  private readonly writesHeaders: boolean;
  private readonly nPlusOneThreshold: number;
  private readonly headers = new ProfilingHeaders();
  /** The stages of the response being closed, listed once for its header and the metrics. */
  private readonly closingStages = new StageList();

  constructor(
    config: AppConfig,
    private readonly store: ProfileStore,
    private readonly metrics: ProfilingMetrics,
    private readonly slowQueries: SlowQueryExplainer,
    private readonly access: ProfilerAccess,
  ) {
    this.profileOptions = { captureParams: config.PROFILER_CAPTURE_PARAMS, slowQueryMs: config.SLOW_QUERY_MS, idleSessionMs: config.PROFILER_IDLE_SESSION_MS };
    this.enabled = config.PROFILER_ENABLED;
    this.writesHeaders = config.profilerHeadersEnabled;
    this.nPlusOneThreshold = config.PROFILER_N_PLUS_ONE_THRESHOLD;
  }

  /** First middleware: before the body parser, so even a 400/413 from parsing is profiled. */
  readonly open = (request: IncomingMessage, response: ServerResponse, next: Next): void => {
    const profiledRequest = request as ProfiledRequest;
    profiledRequest.id ??= requestIdFor(request, response);
    if (!this.enabled) return next();

    const profile = new RequestProfile(profiledRequest.id, request.method ?? 'GET', profiledRequest.originalUrl ?? request.url ?? '/', this.profileOptions);
    const capture = request.headers[PROFILER_CAPTURE_HEADER];
    if (capture !== undefined) profile.captureRequested = this.access.accepts(typeof capture === 'string' ? capture : undefined);
    profiledRequest.profile = profile;
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

  /** Closes each request's profile as its response (made from `responsePrototype`, Express's `app.response`) writes its header block. */
  writeHeadersThrough(responsePrototype: ServerResponse): void {
    if (!this.enabled) return;
    this.headers.writeThrough(responsePrototype, (response, statusCode) => {
      const request = response.req as ProfiledRequest;
      const profile = request.profile;
      return profile !== undefined && profile.headersAtMs === undefined ? this.close(profile, request, statusCode) : undefined;
    });
  }

  /**
   * Marks a handler done when Nest replies with its result (or a filter with the problem it
   * became), as the reply method of the one HTTP adapter: the time from here to the headers is
   * the serialization stage. Requests a guard refused never started a handler and get no mark.
   */
  markRepliesThrough(adapter: Replying): void {
    if (!this.enabled) return;
    const reply = adapter.reply;
    adapter.reply = function markedReply(this: Replying, response: ServerResponse, body: unknown, statusCode?: number) {
      const profile = (response.req as ProfiledRequest).profile;
      if (profile !== undefined && profile.handlerStartMs !== undefined) profile.handlerEndMs ??= profile.now();
      return reply.call(this, response, body, statusCode);
    };
  }

  /** Files the profile; returns the profiling headers the response carries, if it carries them. */
  private close(profile: RequestProfile, request: ProfiledRequest, statusCode: number): ProfilingHeaderValues | undefined {
    profile.totalMs = profile.now();
    profile.markHeadersSent(profile.totalMs);
    profile.route = routeTemplateOf(request);
    profile.status = statusCode;
    findingsOf(profile, this.nPlusOneThreshold);
    const stages = this.closingStages.of(profile);
    const shown =
      this.writesHeaders && carriesProfilingHeaders(profile.target)
        ? { serverTiming: formatServerTiming(profile, stages), queryCount: profile.statementCount, sessions: profile.sessions() }
        : undefined;
    this.metrics.observe(profile, stages);
    if (isRecorded(profile.target)) {
      this.store.add(profile);
      // A cache hit ran no statement: nothing to report or explain.
      if (profile.statementCount > 0) {
        this.reportFindings(profile);
        this.slowQueries.inspect(profile);
      }
    }
    return shown;
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
