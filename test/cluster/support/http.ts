import { Agent, IncomingHttpHeaders, request } from 'node:http';

export interface RawRequest {
  method?: string;
  /** Sent exactly as written: node:http does not normalise it (fetch would resolve `..` and decode). */
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  /**
   * The client socket's own address. Every 127.x.y.z is this machine on Linux, so one test can be
   * many clients; through nginx it is what the API sees as the client address.
   */
  localAddress?: string;
  agent?: Agent;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** One HTTP/1.1 request; rejects only when no response arrives (refused, reset, timed out). */
export function send(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        localAddress: options.localAddress,
        agent: options.agent ?? false,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') }));
        incoming.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no response to ${options.method ?? 'GET'} ${options.path} within ${REQUEST_TIMEOUT_MS / 1000}s`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** send(), expecting `status` and a JSON body. */
export async function sendForJson<T>(baseUrl: string, options: RawRequest, status: number): Promise<{ body: T; headers: IncomingHttpHeaders }> {
  const response = await send(baseUrl, options);
  if (response.status !== status) throw new Error(`${options.method ?? 'GET'} ${baseUrl}${options.path}: expected ${status}, got ${response.status}: ${response.body.slice(0, 500)}`);
  return { body: JSON.parse(response.body) as T, headers: response.headers };
}

/**
 * Reads until `done` holds or `timeoutMs` passes, and returns the last value read either way,
 * for an expect() that shows what was there (Prometheus needs a scrape or two to know things).
 */
export async function readUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
