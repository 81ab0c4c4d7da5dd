import { startTestApp, TestApp } from '../support/test-app';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness without touching dependencies', async () => {
    const response = await t.http.get('/health/live').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('reports the database as up when it answers', async () => {
    const response = await t.http.get('/health/ready').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.info.database.status).toBe('up');
  });
});
