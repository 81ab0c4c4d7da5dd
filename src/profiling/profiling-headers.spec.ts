import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { ProfilingHeaders } from './profiling-headers';
import { RequestProfile } from './request-profile';
import { formatServerTiming } from './server-timing';

/** A request that ran three statements on one session, its headers about to go out. */
function profiledRequest(): RequestProfile {
  const profile = new RequestProfile('request-1', 'GET', '/v1/venues/v-1', { captureParams: false, slowQueryMs: 100, idleSessionMs: 50 });
  profile.handlerStartMs = 0.4;
  profile.recordCheckout(0.5, 0.6, false, 'primary');
  profile.statementCount = 3;
  profile.handlerEndMs = 2.1;
  profile.totalMs = 2.5;
  profile.markHeadersSent(2.5);
  return profile;
}

/** A response whose header block is written as Node writes it, and read back as a client parses it. */
function headersWritten(headers: ProfilingHeaders, profile: RequestProfile): Record<string, string> {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  response.setHeader('Content-Type', 'application/json');
  headers.beforeBlock(response, profile, profile.allStages());
  response.writeHead(200, { 'Content-Length': '2' });
  headers.afterBlock(response);
  const block = (response as unknown as { _header: string })._header;
  expect(block).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(block.endsWith('\r\n\r\n')).toBe(true);
  const fields = block.slice(0, -4).split('\r\n').slice(1);
  return Object.fromEntries(fields.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 2)]));
}

describe('ProfilingHeaders', () => {
  it('finds that this Node keeps the header block it writes until the first write', () => {
    expect(new ProfilingHeaders().appendsToBlock).toBe(true);
  });

  it.each([true, false])('writes the three headers once, beside the others (appended to the block: %p)', (appends) => {
    const profile = profiledRequest();
    const fields = headersWritten(new ProfilingHeaders(appends), profile);
    expect(fields).toMatchObject({
      'content-type': 'application/json',
      'content-length': '2',
      'server-timing': formatServerTiming(profile, profile.allStages()),
      'x-query-count': '3',
      'x-db-sessions': '1',
    });
    expect(fields['server-timing']).toBe('total;dur=2.5, auth;dur=0.4, handler;dur=1.7, serialization;dur=0.4, db;dur=0;desc="3 queries"');
    expect(Object.keys(fields).filter((name) => ['server-timing', 'x-query-count', 'x-db-sessions'].includes(name))).toHaveLength(3);
  });

  it("writes each response's own lines, whatever the one before wrote", () => {
    const headers = new ProfilingHeaders();
    const first = profiledRequest();
    first.recordStage('a stage of the first request only', 0.7, 1.9);
    headersWritten(headers, first);
    const second = new RequestProfile('request-2', 'GET', '/v1/discovery/venues', { captureParams: false, slowQueryMs: 100, idleSessionMs: 50 });
    second.totalMs = 0.3;
    second.markHeadersSent(0.3);
    second.cache = 'hit';
    expect(headersWritten(headers, second)).toMatchObject({ 'server-timing': 'total;dur=0.3, db;dur=0;desc="0 queries", cache;desc=hit', 'x-query-count': '0', 'x-db-sessions': '0' });
  });
});
