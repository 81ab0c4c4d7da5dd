import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { RequestProfile, StageRecord } from './request-profile';
import { formatServerTiming, writeServerTiming } from './server-timing';

/** Node's outgoing message while its header block is written and not yet sent. */
type WithHeaderBlock = { _header?: unknown };
const END_OF_HEADERS = '\r\n\r\n';

/**
 * Does this Node keep a response's written header block in `_header` until its first write (as
 * every Node since 0.x does, and as compression and on-headers rely on)? Asked once, of a response
 * that never touches a socket.
 */
function keepsHeaderBlock(): boolean {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  response.writeHead(200);
  const block = (response as WithHeaderBlock)._header;
  return typeof block === 'string' && block.endsWith(END_OF_HEADERS);
}

/**
 * Puts the profiling headers on a response. Set one by one, three headers cost ~11k machine
 * instructions per response on Node 20 (callgrind; half of the profiler's cost on a cache hit):
 * setHeader tests each name and value with a regular expression and lower-cases the name, and
 * writing the block enumerates and sorts the headers dictionary and lower-cases each name
 * again. The profiler writes them as three lines appended to the block Node has just written
 * instead. That skips Node's validation, which these values do not need: the Server-Timing
 * value is made of RFC 7230 tokens, numbers and fixed text (server-timing.ts) and the counts
 * are integers. On a Node that does not keep the block, they are set with setHeader before
 * the block is written.
 */
export class ProfilingHeaders {
  /**
   * The lines of the response being written, in pieces, joined once with its block; the first
   * slot is the block Node wrote. One list for every response: a response's lines are listed and
   * joined within its writeHead call.
   */
  private readonly lines: string[] = [];

  constructor(readonly appendsToBlock = keepsHeaderBlock()) {}

  /** Before the block is written: lists the headers, or sets them if they cannot be appended to it. */
  beforeBlock(response: ServerResponse, profile: RequestProfile, stages: readonly StageRecord[]): void {
    if (!this.appendsToBlock) {
      response.setHeader('Server-Timing', formatServerTiming(profile, stages));
      response.setHeader('X-Query-Count', profile.statementCount);
      response.setHeader('X-DB-Sessions', profile.sessions());
      return;
    }
    const lines = this.lines;
    lines.length = 0;
    lines.push('', 'Server-Timing: ');
    writeServerTiming(profile, stages, lines);
    lines.push('\r\nX-Query-Count: ', String(profile.statementCount), '\r\nX-DB-Sessions: ', String(profile.sessions()), END_OF_HEADERS);
  }

  /** Once the block is written (writeHead returned): appends the listed lines to it. */
  afterBlock(response: ServerResponse): void {
    if (!this.appendsToBlock) return;
    const written = response as WithHeaderBlock;
    this.lines[0] = (written._header as string).slice(0, -2);
    written._header = this.lines.join('');
  }
}
