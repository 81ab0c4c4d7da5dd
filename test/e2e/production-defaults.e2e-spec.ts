import { startTestApp, TestApp } from '../support/test-app';

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'production-secret-0123456789-0123456789' };

describe('production defaults', () => {
  describe('without DOCS_ENABLED', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await startTestApp({ env: PRODUCTION });
    });
    afterAll(() => testApp?.close());

    it.each(['/docs', '/docs-json'])('serves no %s', async (path) => {
      const response = await testApp.http.get(path);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('still serves the API', async () => {
      await testApp.http.get('/v1/categories').expect(200);
    });
  });

  describe('with DOCS_ENABLED=true', () => {
    let testApp: TestApp;
    beforeAll(async () => {
      testApp = await startTestApp({ env: { ...PRODUCTION, DOCS_ENABLED: 'true' } });
    });
    afterAll(() => testApp?.close());

    it('serves the OpenAPI document', async () => {
      const response = await testApp.http.get('/docs-json').expect(200);
      expect(response.body.openapi).toMatch(/^3\./);
    });
  });
});
