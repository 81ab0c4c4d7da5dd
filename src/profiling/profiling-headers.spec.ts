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

/** Responses of their own prototype (as Express's app.response), with `headers` sending through it. */
function responses(headers: ProfilingHeaders): () => ServerResponse {
  const prototype = Object.create(ServerResponse.prototype) as ServerResponse;
  headers.sendThrough(prototype);
  return () => Object.setPrototypeOf(new ServerResponse(new IncomingMessage(new Socket())), prototype) as ServerResponse;
}

/** The header block written for `response` after `list` ran (or not), read back as a client parses it. */
function headersWritten(response: ServerResponse, list?: () => void): Record<string, string> {
  response.setHeader('Content-Type', 'application/json');
  list?.();
  response.writeHead(200, { 'Content-Length': '2' });
  const block = (response as unknown as { _header: string })._header;
  expect(block).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(block.endsWith('\r\n\r\n')).toBe(true);
  const fields = block.slice(0, -4).split('\r\n').slice(1);
  return Object.fromEntries(fields.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 2)]));
}

const PROFILING_HEADERS = ['server-timing', 'x-query-count', 'x-db-sessions'];

describe('ProfilingHeaders', () => {
  it('finds that this Node sends lines added after the status line it builds a block from', () => {
    expect(new ProfilingHeaders().followStatusLine).toBe(true);
  });

  it.each([true, false])('writes the three headers once, beside the others (after the status line: %p)', (followStatusLine) => {
    const headers = new ProfilingHeaders(followStatusLine);
    const response = responses(headers)();
    const profile = profiledRequest();
    const fields = headersWritten(response, () => headers.list(response, profile, profile.allStages()));
    expect(fields).toMatchObject({
      'content-type': 'application/json',
      'content-length': '2',
      'server-timing': formatServerTiming(profile, profile.allStages()),
      'x-query-count': '3',
      'x-db-sessions': '1',
    });
    expect(fields['server-timing']).toBe('total;dur=2.5, auth;dur=0.4, handler;dur=1.7, serialization;dur=0.4, db;dur=0;desc="3 queries"');
    expect(Object.keys(fields).filter((name) => PROFILING_HEADERS.includes(name))).toHaveLength(3);
  });

  it('gives the lines to the response they were listed for, once', () => {
    const headers = new ProfilingHeaders();
    const newResponse = responses(headers);
    const listedFor = newResponse();
    const other = newResponse();
    const profile = profiledRequest();
    headers.list(listedFor, profile, profile.allStages());
    expect(Object.keys(headersWritten(other)).filter((name) => PROFILING_HEADERS.includes(name))).toEqual([]);
    expect(headersWritten(listedFor)).toMatchObject({ 'x-query-count': '3' });
    const next = newResponse();
    expect(Object.keys(headersWritten(next)).filter((name) => PROFILING_HEADERS.includes(name))).toEqual([]);
  });

  it("writes each response's own lines, whatever the one before wrote", () => {
    const headers = new ProfilingHeaders();
    const newResponse = responses(headers);
    const first = profiledRequest();
    first.recordStage('a stage of the first request only', 0.7, 1.9);
    const firstResponse = newResponse();
    headersWritten(firstResponse, () => headers.list(firstResponse, first, first.allStages()));
    const second = new RequestProfile('request-2', 'GET', '/v1/discovery/venues', { captureParams: false, slowQueryMs: 100, idleSessionMs: 50 });
    second.totalMs = 0.3;
    second.markHeadersSent(0.3);
    second.cache = 'hit';
    const secondResponse = newResponse();
    expect(headersWritten(secondResponse, () => headers.list(secondResponse, second, second.allStages()))).toMatchObject({
      'server-timing': 'total;dur=0.3, db;dur=0;desc="0 queries", cache;desc=hit',
      'x-query-count': '0',
      'x-db-sessions': '0',
    });
  });
});
