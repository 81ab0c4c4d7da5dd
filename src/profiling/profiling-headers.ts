import { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/** The three profiling headers of one response. */
export interface ProfilingHeaderValues {
  serverTiming: string;
  queryCount: number;
  sessions: number;
}

/** Closes the profile of the response whose header block is being written; the headers it should carry, if any. */
export type CloseProfile = (response: ServerResponse, statusCode: number) => ProfilingHeaderValues | undefined;

/**
 * Node's outgoing message writes its header block in `_storeHeader(firstLine, headers)`: the first
 * line as given, then the header fields, then the blank line (every Node since 0.x; compression
 * and on-headers wrap the same internals).
 */
type StoreHeader = (this: ServerResponse, firstLine: string, headers: unknown) => unknown;
type WithHeaderBlock = ServerResponse & { _storeHeader?: StoreHeader; _header?: unknown };
/** ServerResponse.writeHead with its three positions spelled out (its overloads hide the three-argument form). */
type WriteHead = (this: ServerResponse, statusCode: number, statusMessage?: string, headers?: OutgoingHttpHeaders) => ServerResponse;

const PROBE_FIELD = 'X-Probe: 1\r\n';

/**
 * Does this Node write a response's header block from the first line its `_storeHeader` is given,
 * so that fields appended to that line land in the block? Asked once, of a response that never
 * touches a socket.
 */
function writesBlockFromFirstLine(): boolean {
  const response = new ServerResponse(new IncomingMessage(new Socket())) as WithHeaderBlock;
  const storeHeader = response._storeHeader;
  if (typeof storeHeader !== 'function') return false;
  response._storeHeader = function probedStoreHeader(this: ServerResponse, firstLine: string, headers: unknown) {
    return storeHeader.call(this, firstLine + PROBE_FIELD, headers);
  };
  response.writeHead(200);
  const block = response._header;
  return typeof block === 'string' && block.startsWith(`HTTP/1.1 200 OK\r\n${PROBE_FIELD}`) && block.endsWith('\r\n\r\n');
}

/** Statement and session counts below these have their two header lines written once and reused. */
const MEMOIZED_QUERY_COUNTS = 100;
const MEMOIZED_SESSION_COUNTS = 10;
const countLines: Array<string | undefined> = new Array(MEMOIZED_QUERY_COUNTS * MEMOIZED_SESSION_COUNTS);

/**
 * The end of the Server-Timing line and the two count lines, in one flat string (`join`, where a
 * template would make a tree of strings that writing the header block walks on every response).
 */
function countFields(queryCount: number, sessions: number): string {
  return ['\r\nX-Query-Count: ', queryCount, '\r\nX-DB-Sessions: ', sessions, '\r\n'].join('');
}

/** The three header fields, each ending in CRLF, as they go in the header block. */
function profilingHeaderFields({ serverTiming, queryCount, sessions }: ProfilingHeaderValues): string {
  const counts =
    queryCount < MEMOIZED_QUERY_COUNTS && sessions < MEMOIZED_SESSION_COUNTS
      ? (countLines[queryCount * MEMOIZED_SESSION_COUNTS + sessions] ??= countFields(queryCount, sessions))
      : countFields(queryCount, sessions);
  return 'Server-Timing: ' + serverTiming + counts;
}

/**
 * Puts the profiling headers on responses. Set one by one, three headers cost ~11k machine
 * instructions per response on Node 20 (callgrind; half of the profiler's cost on a cache hit):
 * setHeader tests each name and value with a regular expression and lower-cases the name, and
 * writing the block enumerates and sorts the headers dictionary and lower-cases each name
 * again. The profiler writes them as fields after the status line instead, as Node writes the
 * block: no validation, which these values do not need (the Server-Timing value is made of
 * RFC 7230 tokens, numbers and fixed text, server-timing.ts; the counts are integers), and no copy
 * of the block (inserting them before its end would flatten the string Node built, ~0.4 µs per
 * response measured with perf). On a Node that does not build the block that way, they are set
 * with setHeader before the block is written.
 */
export class ProfilingHeaders {
  constructor(readonly followStatusLine = writesBlockFromFirstLine()) {}

  /**
   * Calls `close` as each response made from `responsePrototype` (Express's `app.response`) writes
   * its header block, and puts the headers it returns in that block: one method for every
   * response, where a wrapper per response would cost a closure and an own property added after
   * Express changed the response's prototype (a slow transition in V8).
   */
  writeThrough(responsePrototype: ServerResponse, close: CloseProfile): void {
    const prototype = responsePrototype as WithHeaderBlock;
    if (this.followStatusLine) {
      const storeHeader = prototype._storeHeader as StoreHeader;
      prototype._storeHeader = function profiledStoreHeader(this: ServerResponse, firstLine: string, headers: unknown) {
        // writeHead has set the status code it writes the block for.
        const shown = close(this, this.statusCode);
        return storeHeader.call(this, shown === undefined ? firstLine : firstLine + profilingHeaderFields(shown), headers);
      };
      return;
    }
    const writeHead = prototype.writeHead as WriteHead;
    // writeHead(statusCode, statusMessage?, headers?) passed through as is: Node reads a non-string second argument as the headers.
    prototype.writeHead = function profiledWriteHead(this: ServerResponse, statusCode: number, statusMessage?: string, headers?: OutgoingHttpHeaders) {
      const shown = close(this, statusCode);
      if (shown !== undefined) {
        this.setHeader('Server-Timing', shown.serverTiming);
        this.setHeader('X-Query-Count', shown.queryCount);
        this.setHeader('X-DB-Sessions', shown.sessions);
      }
      return writeHead.call(this, statusCode, statusMessage, headers);
    } as ServerResponse['writeHead'];
  }
}
