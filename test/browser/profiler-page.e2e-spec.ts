import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { ProfilingFixturesModule } from '../support/profiling-fixtures';
import { startTestApp, TEST_PROFILER_TOKEN, TestApp } from '../support/test-app';

/** Debian's package; .ci/run installs it when missing. Without it this suite fails, it never skips. */
const CHROMIUM = '/usr/bin/chromium';
/** Set to a folder (docs/images) to write the screenshots docs/profiler.md shows. */
const SCREENSHOTS_DIR = process.env.SCREENSHOTS_DIR;

/**
 * The page at /_profiler driven in a real Chromium, under the policy it is served with
 * (`default-src 'self'`, which Chromium enforces: an inline script or style attribute would fail).
 * Everything is awaited by selector, never by time.
 */
describe('the profiler page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let nPlusOneId: string;
  let cleanId: string;
  const policyViolations: string[] = [];
  const pageErrors: string[] = [];
  /** The page's own files (and its icon: a /favicon.ico 404 would be profiled into the list). */
  const failedPageRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
    t = await startTestApp({ imports: [ProfilingFixturesModule], env: { PROFILER_STRICT: 'false' } });
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    // Clean whatever the machine's speed: no statement, so no session that could be flagged idle.
    cleanId = (await t.http.get('/v1/_test/distinct-statements?n=0').expect(200)).headers['x-request-id'];
    // Company in the list (and the screenshots): stages, a transaction, a blown budget, a fan-out.
    for (const path of ['/v1/_test/stages?n=6', '/v1/_test/transaction', '/v1/_test/budget/blown', '/v1/_test/n-plus-one/parallel?n=3']) {
      await t.http.get(path).expect(200);
    }
    nPlusOneId = (await t.http.get('/v1/_test/n-plus-one/sequential?n=4').expect(200)).headers['x-request-id'];
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    // Below Jest's own timeout, so a missing element fails with its selector named.
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) policyViolations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('response', (response) => {
      if (response.status() >= 400 && !new URL(response.url()).pathname.startsWith('/v1/')) failedPageRequests.push(`${response.status()} ${response.url()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  afterEach(() => {
    // Emptied each time, so a failure is reported by the test that caused it only.
    const seen = { policyViolations: policyViolations.splice(0), pageErrors: pageErrors.splice(0), failedPageRequests: failedPageRequests.splice(0) };
    expect(seen).toEqual({ policyViolations: [], pageErrors: [], failedPageRequests: [] });
  });

  const textOf = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '');
  const rowIds = () => page.$$eval('#requests tbody tr[data-id]', (rows) => rows.map((row) => row.getAttribute('data-id')));
  const screenshot = async (name: string) => {
    if (!SCREENSHOTS_DIR) return;
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS_DIR, `profiler-${name}.png`) as `${string}.png` });
  };
  const submitToken = async (token: string) => {
    await page.locator('#token').fill(token);
    await page.keyboard.press('Enter');
  };
  const detailHeadingShows = (path: string) => page.waitForSelector(`#detail h2::-p-text(${JSON.stringify(path)})`);

  it('is served as same-origin files under a strict policy, with no data in it', async () => {
    const response = await page.goto(`${base}/_profiler`);
    expect(response!.status()).toBe(200);
    expect(response!.headers()['content-security-policy']).toBe("default-src 'self'");
    expect(response!.headers()['cache-control']).toBe('no-store');
    const assets = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname));
    expect(assets).toEqual(expect.arrayContaining(['/_profiler/profiler.js', '/_profiler/profiler.css']));
  });

  it('pretty-prints SQL a clause a line, with conditions, select columns and subqueries indented', async () => {
    const sql =
      'SELECT a.id, count(b.id) AS n FROM a INNER JOIN b ON b.a_id = a.id WHERE a.x = ? AND a.y BETWEEN ? AND ? ' +
      'AND a.id IN (SELECT d.a_id FROM d WHERE d.z = ? OR d.w = ?) GROUP BY a.id ORDER BY n DESC LIMIT ?';
    // formatSql is a top-level function of the page's classic script, so a global of the page.
    const pretty = await page.evaluate(`formatSql(${JSON.stringify(sql)})`);
    expect(pretty).toBe(
      [
        'SELECT a.id,',
        '  count(b.id) AS n',
        'FROM a',
        'INNER JOIN b ON b.a_id = a.id',
        'WHERE a.x = ?',
        '  AND a.y BETWEEN ? AND ?',
        '  AND a.id IN (',
        '    SELECT d.a_id',
        '    FROM d',
        '    WHERE d.z = ?',
        '      OR d.w = ?)',
        'GROUP BY a.id',
        'ORDER BY n DESC',
        'LIMIT ?',
      ].join('\n'),
    );
  });

  it('says why a wrong token is refused, and lists the recent requests with the right one', async () => {
    await submitToken('wrong-token-wrong-token');
    await page.waitForSelector('#message.error');
    expect(await textOf('#message')).toContain('x-profiler-token');
    expect(await rowIds()).toEqual([]);

    await submitToken(TEST_PROFILER_TOKEN);
    await page.waitForSelector(`#requests tr[data-id="${nPlusOneId}"]`);
    expect(await rowIds()).toEqual(expect.arrayContaining([cleanId, nPlusOneId]));
    expect(await textOf(`#requests tr[data-id="${nPlusOneId}"] .badges`)).toContain('N+1');
    expect(await textOf(`#requests tr[data-id="${cleanId}"] .badges`)).toBe('');
    await screenshot('list');
  });

  it('hides clean requests when filtering on problems', async () => {
    await page.click('#filter-problems');
    await page.waitForSelector(`#requests tr[data-id="${cleanId}"]`, { hidden: true });
    expect(await rowIds()).toContain(nPlusOneId);
    await page.click('#filter-problems');
    await page.waitForSelector(`#requests tr[data-id="${cleanId}"]`);
  });

  it('opens a request from its deep link, collapses its N+1 into one ×4 row that expands, and shows its SQL and plan', async () => {
    await page.goto('about:blank');
    await page.goto(`${base}/_profiler#/${nPlusOneId}`);
    await detailHeadingShows('/v1/_test/n-plus-one/sequential');

    const group = await page.waitForSelector('#waterfall .row.group');
    expect(await group!.$eval('.count', (count) => count.textContent)).toBe('×4');
    expect(await page.$$('#waterfall .row.member')).toHaveLength(0);
    expect(await page.$$('#waterfall .row.lane')).toHaveLength(4);
    expect(await textOf('#findings')).toContain('N+1 — batch');

    await group!.click();
    await page.waitForSelector('#waterfall .row.member');
    expect(await page.$$('#waterfall .row.member')).toHaveLength(4);

    await page.click('#waterfall .row.member');
    expect(await textOf('#statement pre.sql')).toContain('SELECT');
    await page.click('#explain');
    await page.waitForSelector('#statement .plan-tree .node-type');
    expect(await textOf('#statement .plan-tree .node-type')).toBe('Result');
    await screenshot('request');
  });

  it('follows the list to another request and back with the browser history', async () => {
    await page.click(`#requests tr[data-id="${cleanId}"]`);
    await detailHeadingShows('/v1/_test/distinct-statements');
    expect(new URL(page.url()).hash).toBe(`#/${cleanId}`);
    await page.goBack();
    await detailHeadingShows('/v1/_test/n-plus-one/sequential');
  });

  it('summarises each route', async () => {
    await page.click('#tab-routes');
    await page.waitForSelector('#routes tbody tr td.request');
    const routes = await page.$$eval('#routes tbody td.request', (cells) => cells.map((cell) => cell.textContent));
    expect(routes).toEqual(expect.arrayContaining(['GET /v1/_test/n-plus-one/sequential', 'GET /v1/_test/distinct-statements']));
    await screenshot('routes');
  });
});
