import { Cluster, startCluster } from '../../cluster/cluster';
import { freePorts } from '../../cluster/ports';
import { expectTooManyRequests, readEdgeLog, registerAccount } from './support/api';
import { RawResponse, readUntil, send, sendForJson } from './support/http';

/*
 * SPEC §11 at the public edge, against the real topology (`npm run cluster`'s code): nginx in
 * front of two production API replicas sharing PostgreSQL and Redis. Clients are told apart by
 * their own loopback address (127.x.y.z), which nginx passes on as the only X-Forwarded-For.
 */
const LOGIN_RATE_LIMIT = 10;
const LOGIN_ACCOUNT_RATE_LIMIT = 5;
const REGISTER_RATE_LIMIT = 5;
const ATTEMPTS = 25;
const LOGIN = '/v1/auth/login';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({
    ports: await freePorts(),
    seed: 'none',
    apiEnv: {
      LOGIN_RATE_LIMIT: String(LOGIN_RATE_LIMIT),
      LOGIN_ACCOUNT_RATE_LIMIT: String(LOGIN_ACCOUNT_RATE_LIMIT),
      REGISTER_RATE_LIMIT: String(REGISTER_RATE_LIMIT),
    },
  });
}, 300_000);

afterAll(() => cluster?.stop());

function failedLogin(localAddress: string, email: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(cluster.edgeUrl, { method: 'POST', path: LOGIN, json: { email, password: 'not-the-password' }, headers, localAddress });
}

/** The limit lets exactly `limit` attempts through and refuses every later one with a proper 429. */
function expectLimitedAfter(responses: RawResponse[], limit: number, allowedStatus: number): void {
  const statuses = responses.map((response) => response.status);
  expect(statuses).toEqual([...Array<number>(limit).fill(allowedStatus), ...Array<number>(responses.length - limit).fill(429)]);
  responses.slice(limit).forEach(expectTooManyRequests);
}

/**
 * Both replicas answered some of the `expected` requests from `client` (nginx's access log names
 * the replica of each): the limit held across them, not within one.
 */
async function expectBothReplicasAnswered(client: string, expected: number): Promise<void> {
  // nginx writes a request's log line just after its response: the last one may lag the client by a moment.
  const answeredBy = await readUntil(
    async () => readEdgeLog(cluster).filter((entry) => entry.client === client).map((entry) => entry.upstreams.at(-1)?.address),
    (addresses) => addresses.length >= expected,
    5_000,
  );
  const perReplica = cluster.replicas.map((replica) => answeredBy.filter((address) => address === `127.0.0.1:${replica.port}`).length);
  expect(perReplica.every((count) => count > 0)).toBe(true);
  expect(perReplica[0] + perReplica[1]).toBe(expected);
}

describe('login limits through nginx', () => {
  it(`ignore a forged X-Forwarded-For: ${ATTEMPTS} failed logins from one address, each claiming another, get 429 from attempt ${LOGIN_RATE_LIMIT + 1} on`, async () => {
    const responses: RawResponse[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      // Another account each time, so only the per-address limit can apply.
      const email = `forged-${attempt}@example.com`;
      responses.push(await failedLogin('127.0.1.1', email, { 'X-Forwarded-For': `203.0.113.${attempt}, 198.51.100.${attempt}` }));
    }
    expectLimitedAfter(responses, LOGIN_RATE_LIMIT, 401);
    await expectBothReplicasAnswered('127.0.1.1', ATTEMPTS);
  });

  it('count one address across both replicas (one shared store), not per replica', async () => {
    const responses: RawResponse[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) responses.push(await failedLogin('127.0.1.2', `spread-${attempt}@example.com`));
    expectLimitedAfter(responses, LOGIN_RATE_LIMIT, 401);
    await expectBothReplicasAnswered('127.0.1.2', ATTEMPTS);
  });

  it(`slow credential stuffing from many addresses: one account (any letter case) gets 429 from attempt ${LOGIN_ACCOUNT_RATE_LIMIT + 1} on`, async () => {
    const victim = await registerAccount(cluster.edgeUrl, '127.0.1.3', 'victim');
    const responses: RawResponse[] = [];
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const email = attempt % 2 === 0 ? victim.email : victim.email.toUpperCase();
      // One attempt per address: no per-address limit is ever reached.
      responses.push(await failedLogin(`127.0.2.${attempt + 1}`, email));
    }
    expectLimitedAfter(responses, LOGIN_ACCOUNT_RATE_LIMIT, 401);
  });
});

describe('registration limit through nginx', () => {
  it(`lets ${REGISTER_RATE_LIMIT} registrations from one address through, then answers 429`, async () => {
    const responses: RawResponse[] = [];
    for (let attempt = 0; attempt <= REGISTER_RATE_LIMIT + 2; attempt++) {
      const json = { email: `registrant-${attempt}-${Date.now()}@example.com`, password: 'cluster-test-password', name: 'Registrant' };
      responses.push(await send(cluster.edgeUrl, { method: 'POST', path: '/v1/auth/register', json, localAddress: '127.0.1.4' }));
    }
    expectLimitedAfter(responses, REGISTER_RATE_LIMIT, 201);
  });
});

describe('/metrics', () => {
  const SPELLINGS = [
    '/metrics',
    '/METRICS',
    '/Metrics',
    '/metrics/',
    '//metrics',
    '/%6detrics',
    '/%6Detrics',
    '/metrics%2F',
    '/%2Fmetrics',
    '/./metrics',
    '/metrics/.',
    '/metrics?x=1',
    '/v1/../metrics',
    '/v1/%2E%2E/metrics',
  ];
  const isPrometheusText = (response: RawResponse) => response.body.includes('http_request_duration_seconds');

  it('is served by each replica on its own port (what the edge must hide)', async () => {
    for (const replica of cluster.replicas) {
      const response = await send(replica.url, { path: '/metrics' });
      expect(response.status).toBe(200);
      expect(isPrometheusText(response)).toBe(true);
    }
  });

  it.each(SPELLINGS)('is not reachable through nginx as %s', async (path) => {
    const response = await send(cluster.edgeUrl, { path });
    expect(response.status).not.toBe(200);
    expect(isPrometheusText(response)).toBe(false);
  });

  it('is scraped by Prometheus from both replicas, which answers a query over their request counter per replica', async () => {
    const targets = await readUntil(
      async () => {
        const { body } = await sendForJson<PrometheusTargets>(cluster.prometheusUrl, { path: '/api/v1/targets' }, 200);
        return body.data.activeTargets.map((target) => `${target.labels.replica}:${target.health}`).sort();
      },
      (health) => health.join() === 'api-1:up,api-2:up',
    );
    expect(targets).toEqual(['api-1:up', 'api-2:up']);

    const query = encodeURIComponent('sum by (replica) (http_request_duration_seconds_count)');
    const counted = await readUntil(
      async () => {
        const { body } = await sendForJson<PrometheusVector>(cluster.prometheusUrl, { path: `/api/v1/query?query=${query}` }, 200);
        return body.data.result.filter((series) => Number(series.value[1]) > 0).map((series) => series.metric.replica).sort();
      },
      (replicas) => replicas.length === 2,
    );
    expect(counted).toEqual(['api-1', 'api-2']);
  });
});

interface PrometheusTargets {
  data: { activeTargets: Array<{ health: string; labels: { replica: string } }> };
}

interface PrometheusVector {
  data: { result: Array<{ metric: { replica: string }; value: [number, string] }> };
}
