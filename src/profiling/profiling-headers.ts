import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { RequestProfile, StageRecord } from './request-profile';
import { formatServerTiming, writeServerTiming } from './server-timing';

/**
 * Node's internal step that builds a response's header block from its status line and headers
 * (`_storeHeader(firstLine, headers)`, on every Node since 0.x): the block starts with the status
 * line it is handed and keeps whatever lines follow it.
 */
type StoreHeader = (this: ServerResponse, firstLine: string, headers: unknown) => void;
type WithStoreHeader = { _storeHeader?: StoreHeader; _header?: unknown };

const STATUS_LINE_PROBE = 'X-Probe: 1\r\n';

/** Does this Node send lines added after the status line it builds a block from? Asked once, of a response that never touches a socket. */
function sendsLinesAfterStatusLine(): boolean {
  const storeHeader = (ServerResponse.prototype as WithStoreHeader)._storeHeader;
  if (typeof storeHeader !== 'function') return false;
  const response = new ServerResponse(new IncomingMessage(new Socket())) as ServerResponse & WithStoreHeader;
  response._storeHeader = function (firstLine, headers) {
    storeHeader.call(this, firstLine + STATUS_LINE_PROBE, headers);
  };
  response.writeHead(200, { 'Content-Length': '0' });
  const block = response._header;
  return typeof block === 'string' && block.startsWith(`HTTP/1.1 200 OK\r\n${STATUS_LINE_PROBE}Content-Length: 0\r\n`) && block.endsWith('\r\n\r\n');
}

/**
 * Puts the profiling headers on a response. Set one by one, three headers cost ~11k machine
 * instructions per response on Node 20 (callgrind; half of the profiler's cost on a cache hit):
 * setHeader tests each name and value with a regular expression and lower-cases the name, and
 * writing the block enumerates and sorts the headers dictionary and lower-cases each name
 * again. The profiler hands them to Node as three lines after the status line instead, when
 * Node builds the block (appending them to the finished block cost a copy of the whole block:
 * V8 flattens Node's concatenated block before it can be cut). That skips Node's validation,
 * which these values do not need: the Server-Timing value is made of RFC 7230 tokens, numbers
 * and fixed text (server-timing.ts) and the counts are integers. On a Node that builds its
 * block otherwise, they are set with setHeader before the block is written.
 */
export class ProfilingHeaders {
  /** The pieces of the lines being listed, joined once: one list for every response. */
  private readonly pieces: string[] = [];
  /** The response whose lines are listed and not yet in its block, and those lines. */
  private pendingResponse: ServerResponse | undefined;
  private pendingLines = '';

  constructor(readonly followStatusLine = sendsLinesAfterStatusLine()) {}

  /** Makes the responses of `responsePrototype` (the app's) send the lines listed for them after their status line. */
  sendThrough(responsePrototype: ServerResponse): void {
    const storeHeader = (responsePrototype as WithStoreHeader)._storeHeader;
    if (!this.followStatusLine || storeHeader === undefined) return;
    const headers = this;
    (responsePrototype as WithStoreHeader)._storeHeader = function profiledStoreHeader(this: ServerResponse, firstLine: string, blockHeaders: unknown) {
      storeHeader.call(this, headers.statusLineOf(this, firstLine), blockHeaders);
    };
  }

  /** Before the block is written: lists the headers for it, or sets them where Node cannot take them after the status line. */
  list(response: ServerResponse, profile: RequestProfile, stages: readonly StageRecord[]): void {
    if (!this.followStatusLine) {
      response.setHeader('Server-Timing', formatServerTiming(profile, stages));
      response.setHeader('X-Query-Count', profile.statementCount);
      response.setHeader('X-DB-Sessions', profile.sessions());
      return;
    }
    const pieces = this.pieces;
    pieces.length = 0;
    pieces.push('Server-Timing: ');
    writeServerTiming(profile, stages, pieces);
    pieces.push('\r\nX-Query-Count: ', String(profile.statementCount), '\r\nX-DB-Sessions: ', String(profile.sessions()), '\r\n');
    this.pendingResponse = response;
    this.pendingLines = pieces.join('');
  }

  /** The status line `response`'s block starts with: followed by its listed lines, once. */
  private statusLineOf(response: ServerResponse, firstLine: string): string {
    if (response !== this.pendingResponse) return firstLine;
    this.pendingResponse = undefined;
    return firstLine + this.pendingLines;
  }
}
