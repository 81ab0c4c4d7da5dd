import { factories } from '../support/factories';
import type { OpenAPIObject } from '@nestjs/swagger';
import { expectToMatchComponentSchema, expectToMatchOpenApi, ResponseUnderTest } from '../support/openapi';
import { expectQueryBaseline } from '../support/query-baseline';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM_JSON = /^application\/problem\+json/;

/** A copy of a real response with some parts replaced, to prove the OpenAPI check catches them. */
function tampered(response: ResponseUnderTest, changes: Partial<ResponseUnderTest>): ResponseUnderTest {
  const { status, body, headers, request } = response;
  return { status, body, headers, request, ...changes };
}

function utcDateFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('reference data (SPEC §5)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const { newCity, newCategory, newAddOn, newHoliday } = factories(t.dataSource);

    // Inserted out of order so the ordering by name is the API's doing.
    const madrid = await newCity({ slug: 'madrid', name: 'Madrid', countryCode: 'ES', timezone: 'Europe/Madrid', lat: 40.4168, lng: -3.7038 });
    const barcelona = await newCity({ slug: 'barcelona', name: 'Barcelona', countryCode: 'ES', timezone: 'Europe/Madrid', lat: 41.3874, lng: 2.1686 });
    await newCity({ slug: 'amsterdam', name: 'Amsterdam', countryCode: 'NL', timezone: 'Europe/Amsterdam', lat: 52.3676, lng: 4.9041 });
    const lisbon = await newCity({ slug: 'lisbon', name: 'Lisbon', countryCode: 'PT', timezone: 'Europe/Lisbon', lat: 38.7223, lng: -9.1393 });

    await newCategory({ slug: 'rooftop', name: 'Rooftop' });
    await newCategory({ slug: 'ballroom', name: 'Ballroom' });
    await newCategory({ slug: 'garden', name: 'Garden' });

    await newAddOn({ slug: 'parking', name: 'Parking' });
    await newAddOn({ slug: 'catering', name: 'Catering' });
    await newAddOn({ slug: 'audio-system', name: 'Audio system' });

    await newHoliday({ countryCode: 'ES', date: '2026-12-25', name: 'Christmas Day' });
    await newHoliday({ countryCode: 'ES', date: '2026-01-01', name: 'New Year' });
    await newHoliday({ countryCode: 'ES', date: '2026-10-12', name: 'Fiesta Nacional' });
    await newHoliday({ countryCode: 'ES', cityId: madrid.id, date: '2026-05-15', name: 'San Isidro' });
    await newHoliday({ countryCode: 'ES', cityId: barcelona.id, date: '2026-09-11', name: 'Diada' });
    await newHoliday({ countryCode: 'NL', date: '2026-04-27', name: "King's Day" });

    // Lisbon's holidays sit around the default range (today .. today + 365) and the one after 2030-01-01.
    await newHoliday({ countryCode: 'PT', date: utcDateFromToday(-1), name: 'Yesterday' });
    await newHoliday({ countryCode: 'PT', date: utcDateFromToday(0), name: 'Today' });
    await newHoliday({ countryCode: 'PT', cityId: lisbon.id, date: utcDateFromToday(365), name: 'In 365 days' });
    await newHoliday({ countryCode: 'PT', date: utcDateFromToday(366), name: 'In 366 days' });
    await newHoliday({ countryCode: 'PT', date: '2030-01-01', name: 'New Year 2030' });
    await newHoliday({ countryCode: 'PT', date: '2031-01-01', name: 'New Year 2031' });
    await newHoliday({ countryCode: 'PT', date: '2031-01-02', name: 'Day after New Year 2031' });
  });

  afterAll(() => t.close());

  describe('GET /v1/cities', () => {
    it('lists every city by name with its location and time zone', async () => {
      const response = await t.http.get('/v1/cities').expect(200);
      expect(response.body).toEqual({
        data: [
          { slug: 'amsterdam', name: 'Amsterdam', countryCode: 'NL', timezone: 'Europe/Amsterdam', lat: 52.3676, lng: 4.9041 },
          { slug: 'barcelona', name: 'Barcelona', countryCode: 'ES', timezone: 'Europe/Madrid', lat: 41.3874, lng: 2.1686 },
          { slug: 'lisbon', name: 'Lisbon', countryCode: 'PT', timezone: 'Europe/Lisbon', lat: 38.7223, lng: -9.1393 },
          { slug: 'madrid', name: 'Madrid', countryCode: 'ES', timezone: 'Europe/Madrid', lat: 40.4168, lng: -3.7038 },
        ],
      });
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('reference: cities', response);
      expect(response.headers['x-db-sessions']).toBe('1');
    });
  });

  describe('GET /v1/categories and /v1/add-ons', () => {
    it('lists categories by name', async () => {
      const response = await t.http.get('/v1/categories').expect(200);
      expect(response.body).toEqual({
        data: [
          { slug: 'ballroom', name: 'Ballroom' },
          { slug: 'garden', name: 'Garden' },
          { slug: 'rooftop', name: 'Rooftop' },
        ],
      });
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('reference: categories', response);
      expect(response.headers['x-db-sessions']).toBe('1');
    });

    it('lists add-ons by name', async () => {
      const response = await t.http.get('/v1/add-ons').expect(200);
      expect(response.body).toEqual({
        data: [
          { slug: 'audio-system', name: 'Audio system' },
          { slug: 'catering', name: 'Catering' },
          { slug: 'parking', name: 'Parking' },
        ],
      });
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('reference: add-ons', response);
      expect(response.headers['x-db-sessions']).toBe('1');
    });
  });

  describe('GET /v1/cities/:slug/holidays', () => {
    it("lists the city's own and its country's holidays by date, not other cities' or countries'", async () => {
      const response = await t.http.get('/v1/cities/madrid/holidays?from=2026-01-01&to=2026-12-31').expect(200);
      expect(response.body).toEqual({
        data: [
          { date: '2026-01-01', name: 'New Year', scope: 'country' },
          { date: '2026-05-15', name: 'San Isidro', scope: 'city' },
          { date: '2026-10-12', name: 'Fiesta Nacional', scope: 'country' },
          { date: '2026-12-25', name: 'Christmas Day', scope: 'country' },
        ],
      });
      expectToMatchOpenApi(t.openApi, response);
      expectQueryBaseline('reference: city holidays', response);
      expect(response.headers['x-db-sessions']).toBe('1');
    });

    it('includes both bounds of the range', async () => {
      const inclusive = await t.http.get('/v1/cities/madrid/holidays?from=2026-05-15&to=2026-10-12').expect(200);
      expect(inclusive.body.data.map((holiday: { date: string }) => holiday.date)).toEqual(['2026-05-15', '2026-10-12']);

      const inside = await t.http.get('/v1/cities/madrid/holidays?from=2026-05-16&to=2026-10-11').expect(200);
      expect(inside.body).toEqual({ data: [] });
      expectToMatchOpenApi(t.openApi, inside);
    });

    it('accepts a one-day range', async () => {
      const response = await t.http.get('/v1/cities/barcelona/holidays?from=2026-09-11&to=2026-09-11').expect(200);
      expect(response.body).toEqual({ data: [{ date: '2026-09-11', name: 'Diada', scope: 'city' }] });
    });

    it('defaults to today (UTC) through today + 365 days', async () => {
      const response = await t.http.get('/v1/cities/lisbon/holidays').expect(200);
      expect(response.body).toEqual({
        data: [
          { date: utcDateFromToday(0), name: 'Today', scope: 'country' },
          { date: utcDateFromToday(365), name: 'In 365 days', scope: 'city' },
        ],
      });
      expectToMatchOpenApi(t.openApi, response);
    });

    it('treats empty values as absent', async () => {
      const response = await t.http.get('/v1/cities/lisbon/holidays?from=&to=').expect(200);
      expect(response.body.data.map((holiday: { name: string }) => holiday.name)).toEqual(['Today', 'In 365 days']);
    });

    it('defaults `to` to from + 365 days when only `from` is given', async () => {
      const response = await t.http.get('/v1/cities/lisbon/holidays?from=2030-01-01').expect(200);
      expect(response.body.data.map((holiday: { date: string }) => holiday.date)).toEqual(['2030-01-01', '2031-01-01']);
    });

    it('accepts a range of exactly 366 days', async () => {
      const response = await t.http.get('/v1/cities/lisbon/holidays?from=2030-01-01&to=2031-01-02').expect(200);
      expect(response.body.data.map((holiday: { date: string }) => holiday.date)).toEqual(['2030-01-01', '2031-01-01', '2031-01-02']);
    });

    it('answers 404 for an unknown city', async () => {
      const response = await t.http.get('/v1/cities/atlantis/holidays').expect(404);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: "No city has the slug 'atlantis'" });
      expectToMatchOpenApi(t.openApi, response);
    });

    it.each([
      ['a date that does not exist', 'from=2026-02-30', 'from', 'from must be a real calendar date in the form YYYY-MM-DD'],
      ['a 29 February outside a leap year', 'from=2027-02-29', 'from', 'from must be a real calendar date in the form YYYY-MM-DD'],
      ['a month 13', 'to=2026-13-01', 'to', 'to must be a real calendar date in the form YYYY-MM-DD'],
      ['an unpadded date', 'from=2026-1-5', 'from', 'from must be a real calendar date in the form YYYY-MM-DD'],
      ['a timestamp', 'from=2026-01-05T00:00:00Z', 'from', 'from must be a real calendar date in the form YYYY-MM-DD'],
      ['year 0, which PostgreSQL rejects', 'from=0000-01-01', 'from', 'from must be a real calendar date in the form YYYY-MM-DD'],
      ['a word', 'to=tomorrow', 'to', 'to must be a real calendar date in the form YYYY-MM-DD'],
      ['a repeated parameter', 'from=2026-01-01&from=2026-02-01', 'from', 'from must be a real calendar date in the form YYYY-MM-DD'],
      ['to before from', 'from=2026-03-01&to=2026-02-28', 'to', 'to must not be before from'],
      ['to before the default from (today)', 'to=2020-01-01', 'to', 'to must not be before from'],
      ['a range of 367 days', 'from=2026-01-01&to=2027-01-03', 'to', 'to must be at most 366 days after from'],
      ['an unknown parameter', 'country=ES', 'country', "unknown parameter 'country'"],
    ])('answers 400 naming the parameter for %s', async (_case, query, parameter, message) => {
      const response = await t.http.get(`/v1/cities/madrid/holidays?${query}`).expect(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: '/problems/validation-error',
        title: 'Invalid request parameters',
        status: 400,
        detail: `Invalid value for: ${parameter}`,
        errors: [{ parameter, message }],
      });
      expectToMatchOpenApi(t.openApi, response);
    });

    it('answers 400 for a malformed slug rather than looking it up', async () => {
      const response = await t.http.get('/v1/cities/Not_A_Slug/holidays').expect(400);
      expect(response.body.errors).toEqual([{ parameter: 'slug', message: 'slug must contain only lowercase letters, digits and hyphens' }]);
      expectToMatchOpenApi(t.openApi, response);
    });
  });

  describe.each(['/v1/cities', '/v1/categories', '/v1/add-ons'])('%s without parameters', (path) => {
    it('answers 400 naming each unknown parameter', async () => {
      const response = await t.http.get(`${path}?foo=1&bar=2`).expect(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body.errors).toEqual([
        { parameter: 'foo', message: "unknown parameter 'foo'" },
        { parameter: 'bar', message: "unknown parameter 'bar'" },
      ]);
      expectToMatchOpenApi(t.openApi, response);
    });
  });

  describe('caching', () => {
    it.each(['/v1/cities', '/v1/categories', '/v1/add-ons', '/v1/cities/madrid/holidays'])('lets shared caches keep %s for five minutes', async (path) => {
      const response = await t.http.get(path).expect(200);
      expect(response.headers['cache-control']).toBe('public, max-age=300');
    });

    it.each([
      ['a 400', '/v1/cities?foo=1', 400],
      ['a 404', '/v1/cities/atlantis/holidays', 404],
    ])('never marks %s as publicly cacheable', async (_case, path, status) => {
      const response = await t.http.get(path).expect(status);
      expect(response.headers['cache-control'] ?? '').not.toMatch(/public/);
    });
  });

  describe('the OpenAPI check itself', () => {
    it('documents every reference route', () => {
      for (const path of ['/v1/cities', '/v1/categories', '/v1/add-ons', '/v1/cities/{slug}/holidays']) {
        expect(t.openApi.paths[path]?.get?.responses).toHaveProperty('200');
      }
    });

    it('fails on a missing field, a wrong type, an undocumented field or a bad date', async () => {
      const response = await t.http.get('/v1/cities/madrid/holidays?from=2026-05-15&to=2026-05-15').expect(200);
      const withBody = (body: unknown) => tampered(response, { body });
      const [holiday] = response.body.data;

      expect(() => expectToMatchOpenApi(t.openApi, withBody({ data: [{ date: holiday.date, scope: holiday.scope }] }))).toThrow(
        /\/data\/0 must have required property 'name'/,
      );
      expect(() => expectToMatchOpenApi(t.openApi, withBody({ data: [{ ...holiday, name: 42 }] }))).toThrow(/\/data\/0\/name must be string/);
      expect(() => expectToMatchOpenApi(t.openApi, withBody({ data: [{ ...holiday, scope: 'planet' }] }))).toThrow(
        /\/data\/0\/scope must be equal to one of the allowed values/,
      );
      expect(() => expectToMatchOpenApi(t.openApi, withBody({ data: [{ ...holiday, date: '2026-05-15T00:00:00.000Z' }] }))).toThrow(
        /\/data\/0\/date must match format "date"/,
      );
      expect(() => expectToMatchOpenApi(t.openApi, withBody({ data: [{ ...holiday, internalId: 7 }] }))).toThrow(/'internalId' is not documented/);
      expect(() => expectToMatchOpenApi(t.openApi, withBody({ holidays: [] }))).toThrow(/\(root\) must have required property 'data'/);
    });

    it('reads OpenAPI 3.0 nullable on plain types and on $refs', () => {
      const document = {
        openapi: '3.0.0',
        info: { title: 'nullable check', version: '1' },
        paths: {},
        components: {
          schemas: {
            Card: {
              type: 'object',
              properties: {
                rating: { type: 'number', nullable: true },
                city: { allOf: [{ $ref: '#/components/schemas/City' }], nullable: true },
                category: { $ref: '#/components/schemas/City' },
              },
              required: ['rating', 'city', 'category'],
            },
            City: { type: 'object', properties: { slug: { type: 'string' } }, required: ['slug'] },
          },
        },
      } as unknown as OpenAPIObject;
      const madrid = { slug: 'madrid' };

      expect(() => expectToMatchComponentSchema(document, 'Card', { rating: null, city: null, category: madrid })).not.toThrow();
      expect(() => expectToMatchComponentSchema(document, 'Card', { rating: 4.5, city: madrid, category: madrid })).not.toThrow();
      expect(() => expectToMatchComponentSchema(document, 'Card', { rating: 'good', city: madrid, category: madrid })).toThrow(/\/rating must be number/);
      expect(() => expectToMatchComponentSchema(document, 'Card', { rating: 4.5, city: madrid, category: null })).toThrow(/\/category must be object/);
      expect(() => expectToMatchComponentSchema(document, 'Card', { rating: 4.5, city: {}, category: madrid })).toThrow(/\/city must have required property 'slug'/);
    });

    it('fails on an undocumented status or content type', async () => {
      const response = await t.http.get('/v1/cities').expect(200);
      expect(() => expectToMatchOpenApi(t.openApi, tampered(response, { status: 418 }))).toThrow(/status 418 is not documented/);
      expect(() => expectToMatchOpenApi(t.openApi, tampered(response, { headers: { ...response.headers, 'content-type': 'text/html' } }))).toThrow(
        /content type 'text\/html' is not documented/,
      );
    });
  });
});
