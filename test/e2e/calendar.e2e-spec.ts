import { HolidayCalendar } from '../../src/reference/holiday-calendar';
import { AppSettings } from '../../src/reference/app-settings';
import { eventually } from '../support/eventually';
import { startTestApp, TestApp } from '../support/test-app';


describe('in-process calendar and settings', () => {
  let t: TestApp;
  let cityId: number;
  beforeAll(async () => {
    t = await startTestApp();
    [{ id: cityId }] = await t.dataSource.query(
      `INSERT INTO cities (slug, name, country_code, timezone, lat, lng) VALUES ('madrid', 'Madrid', 'ES', 'Europe/Madrid', 40.4168, -3.7038) RETURNING id`,
    );
  });
  afterAll(() => t.close());

  it('sees a holiday inserted by another connection through the change notification', async () => {
    const calendar = t.app.get(HolidayCalendar);
    const madrid = { id: cityId, countryCode: 'ES' };
    expect(await calendar.holidayOn(madrid, '2099-05-15')).toBeNull();
    await t.dataSource.query(`INSERT INTO public_holidays (country_code, city_id, date, name) VALUES ('ES', $1, '2099-05-15', 'San Isidro')`, [cityId]);
    await eventually(async () => (await calendar.holidayOn(madrid, '2099-05-15')) !== null, 'the notified holiday', 3000);
    expect(await calendar.holidayOn(madrid, '2099-05-15')).toEqual({ date: '2099-05-15', name: 'San Isidro' });
  });

  it('prefers the city holiday and falls back to the country one', async () => {
    const calendar = t.app.get(HolidayCalendar);
    await t.dataSource.query(
      `INSERT INTO public_holidays (country_code, city_id, date, name) VALUES ('ES', NULL, '2099-10-12', 'Fiesta Nacional de España'), ('ES', NULL, '2099-05-15', 'Not this one')`,
    );
    await calendar.refresh();
    const madrid = { id: cityId, countryCode: 'ES' };
    const holidays = await calendar.holidaysOn(madrid, ['2099-05-15', '2099-10-12', '2099-10-13']);
    expect([...holidays.values()]).toEqual([
      { date: '2099-05-15', name: 'San Isidro' },
      { date: '2099-10-12', name: 'Fiesta Nacional de España' },
    ]);
    expect(await calendar.holidayOn({ id: cityId + 1, countryCode: 'FR' }, '2099-10-12')).toBeNull();
  });

  it('reads app_config once and follows its changes', async () => {
    const settings = t.app.get(AppSettings);
    expect((await settings.current()).discoveryCacheTtlSeconds).toBe(60);
    await t.dataSource.query(`INSERT INTO app_config (key, value) VALUES ('discovery.cache_ttl_seconds', '15')`);
    await eventually(async () => (await settings.current()).discoveryCacheTtlSeconds === 15, 'the notified app_config change', 3000);
    expect((await settings.current()).discoveryCacheTtlSeconds).toBe(15);
  });
});
