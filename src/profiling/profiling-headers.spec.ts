import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { ProfilingHeaders, type ProfilingHeaderValues } from './profiling-headers';

const VALUES = { serverTiming: 'total;dur=1.2, db;dur=0;desc="0 queries", cache;desc=hit', queryCount: 0, sessions: 1 };

/**
 * A response made from a prototype the headers write through, as Express makes them from its
 * `app.response`, whose header block is written as Node writes it and read back as a client
 * parses it; `closes` counts the calls of the close callback.
 */
function headersWritten(headers: ProfilingHeaders, values: ProfilingHeaderValues | undefined) {
  const prototype = Object.create(ServerResponse.prototype) as ServerResponse;
  const closes: number[] = [];
  headers.writeThrough(prototype, (_response, statusCode) => {
    closes.push(statusCode);
    return values;
  });
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  Object.setPrototypeOf(response, prototype);
  response.setHeader('Content-Type', 'application/json');
  response.writeHead(201, { 'Content-Length': '2' });
  const block = (response as unknown as { _header: string })._header;
  expect(block).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
  expect(block.endsWith('\r\n\r\n')).toBe(true);
  const lines = block.slice(0, -4).split('\r\n').slice(1);
  const fields = Object.fromEntries(lines.map((field) => [field.slice(0, field.indexOf(':')).toLowerCase(), field.slice(field.indexOf(':') + 2)]));
  return { fields, closes };
}

const PROFILING_FIELDS = ['server-timing', 'x-query-count', 'x-db-sessions'];

describe('ProfilingHeaders', () => {
  it('finds that this Node writes the header block from the first line it is given', () => {
    expect(new ProfilingHeaders().followStatusLine).toBe(true);
  });

  it.each([true, false])('closes once with the status and writes the three headers once, beside the others (after the status line: %p)', (followStatusLine) => {
    const { fields, closes } = headersWritten(new ProfilingHeaders(followStatusLine), VALUES);
    expect(closes).toEqual([201]);
    expect(fields).toMatchObject({
      'content-type': 'application/json',
      'content-length': '2',
      'server-timing': VALUES.serverTiming,
      'x-query-count': '0',
      'x-db-sessions': '1',
    });
    expect(Object.keys(fields).filter((name) => PROFILING_FIELDS.includes(name))).toHaveLength(3);
  });

  it.each([true, false])('writes no profiling header when the response carries none (after the status line: %p)', (followStatusLine) => {
    const { fields } = headersWritten(new ProfilingHeaders(followStatusLine), undefined);
    expect(fields['content-length']).toBe('2');
    expect(Object.keys(fields).filter((name) => PROFILING_FIELDS.includes(name))).toEqual([]);
  });

  it('writes counts past the memoized ones', () => {
    const { fields } = headersWritten(new ProfilingHeaders(), { ...VALUES, queryCount: 1234, sessions: 12 });
    expect(fields).toMatchObject({ 'x-query-count': '1234', 'x-db-sessions': '12' });
  });
});
