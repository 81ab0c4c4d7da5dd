import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiReplica } from '../../../cluster/api-replica';
import type { Cluster } from '../../../cluster/cluster';
import { RawResponse, send, sendForJson } from './http';

export interface Account {
  id: number;
  email: string;
  password: string;
}

/** Registers a new account through `baseUrl` (the edge or one replica) from `localAddress`. */
export async function registerAccount(baseUrl: string, localAddress: string, label = 'user'): Promise<Account> {
  const email = `${label}-${randomBytes(6).toString('hex')}@example.com`;
  const password = 'cluster-test-password';
  const { body } = await sendForJson<{ id: number }>(baseUrl, { method: 'POST', path: '/v1/auth/register', json: { email, password, name: label }, localAddress }, 201);
  return { id: body.id, email, password };
}

export async function accessToken(baseUrl: string, account: Account, localAddress: string): Promise<string> {
  const { body } = await sendForJson<{ accessToken: string }>(
    baseUrl,
    { method: 'POST', path: '/v1/auth/login', json: { email: account.email, password: account.password }, localAddress },
    200,
  );
  return body.accessToken;
}

/** Every 429 tells when to come back and says why in an RFC 9457 problem body. */
export function expectTooManyRequests(response: RawResponse): void {
  expect(response.status).toBe(429);
  expect(response.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(response.body)).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: 429, detail: expect.any(String) }),
  );
}

/**
 * Requests a replica has answered on `route` (its template, e.g. /v1/auth/login) since it
 * started, from its own /metrics (the replica's port: the edge never routes /metrics).
 */
export async function answeredOn(replica: ApiReplica, method: string, route: string): Promise<number> {
  const response = await send(replica.url, { path: '/metrics' });
  const series = new RegExp(String.raw`^http_request_duration_seconds_count\{([^}]*)\} (\d+)$`, 'gm');
  let total = 0;
  for (const [, labels, count] of response.body.matchAll(series)) {
    if (labels.includes(`method="${method}"`) && labels.includes(`route="${route}"`)) total += Number(count);
  }
  return total;
}

export interface EdgeLogEntry {
  client: string;
  method: string;
  path: string;
  status: number;
  /** Each replica nginx tried, in order (host:port), with what it answered: 502 for one that failed. */
  upstreams: Array<{ address: string; status: string }>;
}

/** nginx's access log of the topology (the `upstream` format of cluster/nginx-server.ts). */
export function readEdgeLog(cluster: Cluster): EdgeLogEntry[] {
  const line = /^(\S+) \[[^\]]*\] "(\S+) (\S+) [^"]*" (\d+) \d+ upstream=(.*) upstream_status=(.*) request_time=/;
  return readFileSync(join(cluster.logDirectory, 'nginx-access.log'), 'utf8')
    .split('\n')
    .map((text) => line.exec(text))
    .filter((match) => match !== null)
    .map(([, client, method, path, status, addresses, statuses]) => {
      const answers = statuses.split(', ');
      return {
        client,
        method,
        path,
        status: Number(status),
        upstreams: addresses === '-' ? [] : addresses.split(', ').map((address, index) => ({ address, status: answers[index] })),
      };
    });
}
