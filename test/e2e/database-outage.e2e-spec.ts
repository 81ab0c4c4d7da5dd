import { eventually } from '../support/eventually';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { TcpRelay } from '../support/tcp-relay';
import { startTestApp, TestApp } from '../support/test-app';

describe('losing the database (SPEC §9)', () => {
  let database: TestDatabase;
  let relay: TcpRelay;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    relay = TcpRelay.to(database.url, 5432);
    await relay.start();
    t = await startTestApp({
      database: { url: relay.relayed(database.url), drop: async () => undefined },
      env: { DB_CONNECTION_TIMEOUT_MS: '1000' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await relay?.stop();
    await database?.drop();
  });

  it('answers 503 problems while the database is gone and recovers by itself when it returns', async () => {
    await t.http.get('/v1/categories').expect(200);

    await relay.stop();
    const during = await t.http.get('/v1/categories');
    expect(during.status).toBe(503);
    expect(during.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(during.headers['retry-after']).toBe('5');
    expect(during.body).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'The database is unavailable; retry shortly',
      requestId: during.headers['x-request-id'],
    });
    await t.http.get('/health/ready').expect(503);

    await relay.start();
    await eventually(async () => (await t.http.get('/v1/categories')).status === 200, 'requests to succeed again', 15_000);
    await t.http.get('/health/ready').expect(200);
  });
});
