import { addDays, todayUtc } from '../../src/common/calendar-date';
import { AccessTokens } from '../../src/auth/access-tokens';
import { ApiRequest, ApiResponse } from '../../src/http/http-messages';
import { factories, VenueRow } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

type Message = ApiRequest | ApiResponse;

/**
 * Every property the pipeline sets on a request or a response is declared by ApiRequest and
 * ApiResponse: one added after Express changed the object's prototype costs V8 an uncached
 * transition on every request (src/http/http-messages.ts). A middleware, guard or library that
 * starts setting a new one fails here, by name.
 */
describe('request and response objects (src/http/http-messages.ts)', () => {
  let t: TestApp;
  let venue: VenueRow;
  let authorization: string;
  const ownKeysAtPrototypeChange = new Map<Message, Set<PropertyKey>>();
  const addedLater: Array<{ request: string; object: 'request' | 'response'; keys: string[] }> = [];
  // Symbol-keyed properties count too (a router sets one), so keys are read with Reflect.ownKeys, not Object.keys.

  beforeAll(async () => {
    t = await startTestApp();
    const f = factories(t.dataSource);
    const city = await f.newCity({ slug: 'madrid', name: 'Madrid', countryCode: 'ES', timezone: 'Europe/Madrid' });
    const category = await f.newCategory({ slug: 'rooftop', name: 'Rooftop' });
    const host = await f.newUser({ name: 'Hannah Host', role: 'host' });
    const viewer = await f.newUser({ name: 'Vera Viewer' });
    venue = await f.newVenue({ cityId: city.id, categoryId: category.id, hostId: host.id });
    authorization = `Bearer ${t.app.get(AccessTokens).issue(viewer).accessToken}`;

    const setPrototypeOf = Object.setPrototypeOf;
    jest.spyOn(Object, 'setPrototypeOf').mockImplementation((object: object, prototype: object | null) => {
      if ((object instanceof ApiRequest || object instanceof ApiResponse) && !ownKeysAtPrototypeChange.has(object)) {
        ownKeysAtPrototypeChange.set(object, new Set(Reflect.ownKeys(object)));
      }
      return setPrototypeOf(object, prototype);
    });
    t.app.getHttpServer().on('request', (request: ApiRequest, response: ApiResponse) => {
      response.on('finish', () => {
        for (const [object, message] of [['request', request], ['response', response]] as const) {
          const before = ownKeysAtPrototypeChange.get(message);
          const keys = before ? Reflect.ownKeys(message).filter((key) => !before.has(key)).map(String) : ['(prototype never changed)'];
          if (keys.length > 0) addedLater.push({ request: `${request.method} ${request.url}`, object, keys });
        }
      });
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  it('gains no property after Express sets its prototypes, on any kind of request', async () => {
    const date = addDays(todayUtc(), 7);
    await t.http.get(`/v1/discovery/venues?city=madrid&date=${date}`).expect(200);
    await t.http.get(`/v1/discovery/venues?city=madrid&date=${date}`).expect(200).expect('X-Cache', 'HIT');
    await t.http.get(`/v1/venues/${venue.slug}`).set('Authorization', authorization).expect(200);
    await t.http.post('/v1/auth/login').send({ email: 'nobody@example.com', password: 'wrong-password' }).expect(401);
    await t.http.get('/v1/discovery/venues?city=madrid&date=not-a-date').expect(400);
    await t.http.get('/v1/no-such-route').expect(404);

    expect(ownKeysAtPrototypeChange.size).toBeGreaterThanOrEqual(12);
    expect(addedLater).toEqual([]);
  });
});
