import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { parseServerTiming } from '../test/support/server-timing';
import type { ServerProcess } from './processes';

/** What one implementation did in one scenario. */
export interface Measurement {
  /** Successful (2xx) requests; latencies and throughput are theirs. */
  requests: number;
  /** Non-2xx responses, connection errors and timeouts. */
  errors: number;
  elapsedS: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  rps: number;
  /** Mean SQL statements per request (BEGIN/COMMIT not counted); null when nothing reported it. */
  statementsPerRequest: number | null;
  /** Mean database sessions (pool checkouts) per request; null when nothing reported it. */
  sessionsPerRequest: number | null;
  /** The API's Server-Timing header of the last response: its own stages, for reading where the time went. */
  serverTiming?: string;
  /** Percentiles of the Server-Timing `total` of the successful responses (every SERVER_TIMING_SAMPLE-th): the API's own time, without the client and the socket. */
  serverTotal?: Percentiles;
  /** What the first failed request answered or threw, so an error count comes with a reason. */
  firstError?: string;
  /** Responses by their X-Cache header (HIT or MISS), when the server sent one. */
  cache?: Record<string, number>;
}

export interface Percentiles {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** An endless sequence of requests against one server. */
export interface HttpWorkload {
  baseUrl: string;
  next(): HttpRequest;
}

/** The statements and sessions one in-process request used. */
export interface RequestTally {
  statements: number;
  sessions: number;
}

/** Load for `durationS` seconds, or exactly `requests` requests. */
export type LoadSettings = { connections: number } & ({ durationS: number } | { requests: number });

/** Reports completed requests while a run is going. */
export type ProgressListener = (completedRequests: number) => void;

/** The Server-Timing percentiles come from every SERVER_TIMING_SAMPLE-th successful response (the first included). */
const SERVER_TIMING_SAMPLE = 16;

/** Generous: a legacy request under load can take seconds, and a timeout would hide its latency. */
const REQUEST_TIMEOUT_S = 60;

class Recorder {
  private readonly latencies: number[] = [];
  private readonly serverTimings: string[] = [];
  private timingsSeen = 0;
  private errors = 0;
  private statements = 0;
  private sessions = 0;
  private tallied = 0;
  serverTiming?: string;
  firstError?: string;
  readonly cache: Record<string, number> = {};

  success(latencyMs: number): void {
    this.latencies.push(latencyMs);
  }

  failure(count = 1, reason?: string): void {
    this.errors += count;
    if (count > 0 && reason !== undefined) this.firstError ??= reason;
  }

  /**
   * Keeps one successful response's Server-Timing header in SERVER_TIMING_SAMPLE; their `total` is
   * read after the run. The client shares the machine's two cores with the API, and work it does
   * only for responses that carry the header is charged to profiling: kept for every response,
   * they were ~15,000 strings per 2-second round, and their garbage, on the profiling-on side only.
   */
  serverTotal(header: string): void {
    this.timingsSeen += 1;
    if (this.timingsSeen % SERVER_TIMING_SAMPLE === 1) this.serverTimings.push(header);
  }

  /** The `total` of each kept Server-Timing header; a header that does not parse counts against the run. */
  private readServerTotals(): number[] {
    const totals: number[] = [];
    for (const header of this.serverTimings) {
      try {
        const total = parseServerTiming(header).find((metric) => metric.name === 'total')?.dur;
        if (total !== undefined) totals.push(total);
      } catch (error) {
        this.failure(1, (error as Error).message);
      }
    }
    return totals;
  }

  tally({ statements, sessions }: RequestTally): void {
    this.statements += statements;
    this.sessions += sessions;
    this.tallied += 1;
  }

  get completed(): number {
    return this.latencies.length;
  }

  summary(elapsedS: number): Measurement {
    const serverTotals = this.readServerTotals();
    return {
      requests: this.latencies.length,
      errors: this.errors,
      elapsedS,
      ...percentiles(this.latencies),
      rps: this.latencies.length / elapsedS,
      statementsPerRequest: this.tallied > 0 ? this.statements / this.tallied : null,
      sessionsPerRequest: this.tallied > 0 ? this.sessions / this.tallied : null,
      ...(this.serverTiming !== undefined && { serverTiming: this.serverTiming }),
      ...(serverTotals.length > 0 && { serverTotal: percentiles(serverTotals) }),
      ...(this.firstError !== undefined && { firstError: this.firstError }),
      ...(Object.keys(this.cache).length > 0 && { cache: this.cache }),
    };
  }
}

/** Nearest-rank percentile of ascending values; null without values. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  return { p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99) };
}

/** The response headers a run reads. */
interface ReadHeaders {
  statements?: string;
  sessions?: string;
  serverTiming?: string;
  cache?: string;
}

const READ_HEADERS = new Map<string, keyof ReadHeaders>([
  ['x-query-count', 'statements'],
  ['x-db-sessions', 'sessions'],
  ['server-timing', 'serverTiming'],
  ['x-cache', 'cache'],
]);

/** One pass over a response's headers (whatever their case), for the few a run reads. */
function readHeaders(headers: Record<string, string | string[]>): ReadHeaders {
  const read: ReadHeaders = {};
  for (const name in headers) {
    const field = READ_HEADERS.get(name) ?? READ_HEADERS.get(name.toLowerCase());
    if (field === undefined) continue;
    const value = headers[name];
    read[field] = Array.isArray(value) ? value[0] : value;
  }
  return read;
}

/**
 * Closed-loop HTTP load (autocannon over loopback, `connections` keep-alive connections, each
 * sending its next request when the previous answered) for `durationS` seconds or `requests`
 * requests. Statements and sessions come from the X-Query-Count and X-DB-Sessions headers of each
 * response, the API's own time from its Server-Timing `total`.
 */
export async function measureHttp(workload: HttpWorkload, load: LoadSettings, onProgress?: ProgressListener): Promise<Measurement> {
  const recorder = new Recorder();
  const instance = autocannon({
    url: workload.baseUrl,
    connections: load.connections,
    ...('requests' in load ? { amount: load.requests } : { duration: load.durationS }),
    timeout: REQUEST_TIMEOUT_S,
    requests: [
      {
        setupRequest: (defaults) => ({ ...defaults, ...workload.next() }),
        onResponse: (status, body, _context, headers) => {
          if (status < 200 || status >= 300) recorder.firstError ??= `HTTP ${status}: ${body.slice(0, 300)}`;
          const { statements, sessions, serverTiming, cache } = readHeaders(headers);
          if (statements !== undefined && sessions !== undefined) recorder.tally({ statements: Number(statements), sessions: Number(sessions) });
          if (serverTiming !== undefined) {
            recorder.serverTiming = serverTiming;
            if (status >= 200 && status < 300) recorder.serverTotal(serverTiming);
          }
          if (cache !== undefined) recorder.cache[cache] = (recorder.cache[cache] ?? 0) + 1;
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, latencyMs: number) => {
    if (status >= 200 && status < 300) recorder.success(latencyMs);
    else recorder.failure();
  });
  const ticker = onProgress && setInterval(() => onProgress(recorder.completed), 250);
  const started = performance.now();
  try {
    const result = await instance;
    recorder.failure(result.errors, `${result.errors} connection errors or timeouts (${result.timeouts} timeouts)`);
  } finally {
    if (ticker) clearInterval(ticker);
  }
  return recorder.summary((performance.now() - started) / 1000);
}

/**
 * `iterations` calls of `request` in this process, `concurrency` at a time, each timed from call
 * to settle. A call that throws counts as an error.
 */
export async function measureInProcess(
  iterations: number,
  concurrency: number,
  request: () => Promise<RequestTally>,
  onProgress?: ProgressListener,
): Promise<Measurement> {
  const recorder = new Recorder();
  let started = 0;
  const loop = async () => {
    while (started < iterations) {
      started += 1;
      const begin = performance.now();
      try {
        const tally = await request();
        recorder.success(performance.now() - begin);
        recorder.tally(tally);
      } catch (error) {
        recorder.failure(1, error instanceof Error ? error.message : String(error));
      }
    }
  };
  const ticker = onProgress && setInterval(() => onProgress(recorder.completed), 250);
  const begin = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    if (ticker) clearInterval(ticker);
  }
  return recorder.summary((performance.now() - begin) / 1000);
}

/** A measured HTTP run against `server`, with the CPU time (user + system) its process spent per request. */
export async function measureServer(
  server: ServerProcess,
  next: () => HttpRequest,
  load: LoadSettings,
  onProgress?: ProgressListener,
): Promise<{ measurement: Measurement; cpuMsPerRequest: number | null }> {
  const cpuBefore = server.cpuSeconds();
  const measurement = await measureHttp({ baseUrl: server.baseUrl, next }, load, onProgress);
  const cpuAfter = server.cpuSeconds();
  const cpuMsPerRequest = cpuBefore === null || cpuAfter === null || measurement.requests === 0 ? null : ((cpuAfter - cpuBefore) * 1000) / measurement.requests;
  return { measurement, cpuMsPerRequest };
}
