import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { ProfilingHeaders } from './profiling-headers';

const VALUES = { serverTiming: 'total;dur=1.2, db;dur=0;desc="0 queries", cache;desc=hit', queryCount: 0, sessions: 1 };

/** A response whose header block is written as Node writes it, and read back as a client parses it. */
function headersWritten(headers: ProfilingHeaders): Record<string, string> {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  response.setHeader('Content-Type', 'application/json');
  headers.beforeBlock(response, VALUES);
  response.writeHead(200, { 'Content-Length': '2' });
  headers.afterBlock(response, VALUES);
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
    const fields = headersWritten(new ProfilingHeaders(appends));
    expect(fields).toMatchObject({
      'content-type': 'application/json',
      'content-length': '2',
      'server-timing': VALUES.serverTiming,
      'x-query-count': '0',
      'x-db-sessions': '1',
    });
    expect(Object.keys(fields).filter((name) => ['server-timing', 'x-query-count', 'x-db-sessions'].includes(name))).toHaveLength(3);
  });
});
