import { AccessTokens } from '../../src/auth/access-tokens';
import { factories, UserRow, VenueRow } from '../support/factories';
import { expectToMatchOpenApi } from '../support/openapi';
import { expectQueryBaseline } from '../support/query-baseline';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM_JSON = /^application\/problem\+json/;

describe('PUT / DELETE /v1/favorites/:venueId (SPEC §6)', () => {
  let t: TestApp;
  let user: UserRow;
  let other: UserRow;
  let venue: VenueRow;
  let inactive: VenueRow;

  beforeAll(async () => {
    t = await startTestApp();
    const f = factories(t.dataSource);
    const city = await f.newCity();
    const category = await f.newCategory();
    const host = await f.newUser({ role: 'host' });
    user = await f.newUser();
    other = await f.newUser();
    venue = await f.newVenue({ cityId: city.id, categoryId: category.id, hostId: host.id });
    inactive = await f.newVenue({ cityId: city.id, categoryId: category.id, hostId: host.id, isActive: false });
  });
  afterAll(() => t.close());

  const auth = (who: UserRow) => ({ Authorization: `Bearer ${t.app.get(AccessTokens).issue(who).accessToken}` });
  const favoriteIds = async (who: UserRow): Promise<number[]> =>
    (await t.dataSource.query('SELECT venue_id FROM favorites WHERE user_id = $1 ORDER BY venue_id', [who.id])).map(
      (row: { venue_id: number }) => row.venue_id,
    );
  const isFavoriteInDetail = async (who: UserRow): Promise<boolean> =>
    (await t.http.get(`/v1/venues/${venue.slug}?days=1`).set(auth(who)).expect(200)).body.viewer.isFavorite;

  it('toggles a favorite idempotently, as the detail shows', async () => {
    const added = await t.http.put(`/v1/favorites/${venue.id}`).set(auth(user)).expect(204);
    expect(added.headers['cache-control']).toBe('private, no-store');
    expect(added.text).toBe('');
    expectToMatchOpenApi(t.openApi, added);
    expectQueryBaseline('favorites: put', added);
    expect(added.headers['x-db-sessions']).toBe('1');
    expect(await favoriteIds(user)).toEqual([venue.id]);
    expect(await isFavoriteInDetail(user)).toBe(true);

    await t.http.put(`/v1/favorites/${venue.id}`).set(auth(user)).expect(204);
    expect(await favoriteIds(user)).toEqual([venue.id]);

    const removed = await t.http.delete(`/v1/favorites/${venue.id}`).set(auth(user)).expect(204);
    expectToMatchOpenApi(t.openApi, removed);
    expectQueryBaseline('favorites: delete', removed);
    expect(await favoriteIds(user)).toEqual([]);
    expect(await isFavoriteInDetail(user)).toBe(false);

    await t.http.delete(`/v1/favorites/${venue.id}`).set(auth(user)).expect(204);
    expect(await favoriteIds(user)).toEqual([]);
  });

  it("keeps each user's favorites apart", async () => {
    await t.http.put(`/v1/favorites/${venue.id}`).set(auth(other)).expect(204);
    expect(await isFavoriteInDetail(other)).toBe(true);
    expect(await isFavoriteInDetail(user)).toBe(false);
    await t.http.delete(`/v1/favorites/${venue.id}`).set(auth(user)).expect(204);
    expect(await favoriteIds(other)).toEqual([venue.id]);
  });

  it('survives concurrent PUTs of one favorite', async () => {
    const responses = await Promise.all(Array.from({ length: 5 }, () => t.http.put(`/v1/favorites/${venue.id}`).set(auth(user))));
    expect(responses.map((response) => response.status)).toEqual([204, 204, 204, 204, 204]);
    expect(await favoriteIds(user)).toEqual([venue.id]);
  });

  it.each<[string, 'put' | 'delete', () => number]>([
    ['PUT of an unknown venue', 'put', () => 999999],
    ['DELETE of an unknown venue', 'delete', () => 999999],
    ['PUT of an inactive venue', 'put', () => inactive.id],
  ])('answers 404 for a %s', async (_case, method, venueId) => {
    const response = await t.http[method](`/v1/favorites/${venueId()}`).set(auth(user)).expect(404);
    expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
    expectToMatchOpenApi(t.openApi, response);
  });

  it('lets a user clear an inactive venue from their favorites', async () => {
    await t.dataSource.query('INSERT INTO favorites (user_id, venue_id) VALUES ($1, $2)', [user.id, inactive.id]);
    await t.http.delete(`/v1/favorites/${inactive.id}`).set(auth(user)).expect(204);
    expect(await favoriteIds(user)).not.toContain(inactive.id);
  });

  it.each(['abc', '0', '-1', '1e3', '12abc', '3.0', '99999999999'])('answers 400 naming venueId for %s', async (venueId) => {
    const response = await t.http.put(`/v1/favorites/${venueId}`).set(auth(user)).expect(400);
    expect(response.body.errors[0].parameter).toBe('venueId');
    expectToMatchOpenApi(t.openApi, response);
  });

  it('needs a signed-in user', async () => {
    const response = await t.http.delete(`/v1/favorites/${venue.id}`).expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
  });
});
