import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, environmentWithDotEnv, loadAppConfig } from './app-config';

describe('AppConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadAppConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DB_POOL_SIZE).toBe(10);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.profilerHeadersEnabled).toBe(true);
    expect(config.DISCOVERY_CACHE_MAX_BYTES).toBe(32 * 1024 * 1024);
  });

  it('turns profiler headers off by default in production', () => {
    expect(loadAppConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).profilerHeadersEnabled).toBe(false);
  });

  it('serves no demo data and no /docs in production unless asked for', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(loadAppConfig(production)).toMatchObject({ seedDemoOnEmpty: false, docsEnabled: false });
    expect(loadAppConfig({ ...production, SEED_DEMO_ON_EMPTY: 'true', DOCS_ENABLED: 'true' })).toMatchObject({ seedDemoOnEmpty: true, docsEnabled: true });
    expect(loadAppConfig({})).toMatchObject({ seedDemoOnEmpty: true, docsEnabled: true });
    expect(loadAppConfig({ SEED_DEMO_ON_EMPTY: 'false' }).seedDemoOnEmpty).toBe(false);
  });

  describe('.env', () => {
    const fixture = (name: string) => join(__dirname, '..', '..', 'test', 'fixtures', 'dotenv', name);

    it('is read when present, and an exported variable wins over it', () => {
      const config = loadAppConfig(environmentWithDotEnv(fixture('valid.env'), { LOG_LEVEL: 'warn' }));
      expect(config).toMatchObject({ PORT: 4100, LOG_LEVEL: 'warn', DB_POOL_SIZE: 7 });
    });

    it('is optional', () => {
      expect(environmentWithDotEnv(join(tmpdir(), 'no-such-dir-venues', '.env'), { PORT: '1' })).toEqual({ PORT: '1' });
    });

    it('is validated like the environment: a bad value in it stops the process naming the variable', () => {
      expect(() => loadAppConfig(environmentWithDotEnv(fixture('bad-port.env'), {}))).toThrow(/^Invalid configuration:\n  PORT=/);
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DB_POOL_SIZE', '0'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_REPLICA_URLS', 'postgres://a/db,mysql://b/db'],
    ['DATABASE_REPLICA_URLS', 'postgres://a/db,'],
    ['DATABASE_REPLICA_MAX_LAG_MS', '10'],
    ['NODE_ENV', 'staging'],
    ['PROFILER_STRICT', 'yes'],
    ['PROFILER_TOKEN', 'short'],
    ['DISCOVERY_CACHE_MAX_BYTES', '0'],
  ])('stops on a bad %s=%s, naming the variable', (name, value) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}=`));
  });

  it('reads DATABASE_REPLICA_URLS as a list, empty as none', () => {
    expect(loadAppConfig({ DATABASE_REPLICA_URLS: 'postgres://a:5432/db, postgresql://b/db' }).databaseReplicaUrls).toEqual(['postgres://a:5432/db', 'postgresql://b/db']);
    expect(loadAppConfig({ DATABASE_REPLICA_URLS: '' }).databaseReplicaUrls).toEqual([]);
    expect(loadAppConfig({}).DATABASE_REPLICA_MAX_LAG_MS).toBe(5000);
  });

  it('treats an empty value as unset', () => {
    expect(loadAppConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('lists every variable in .env.example', () => {
    const documented = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => line.split('=')[0]);
    expect(documented.sort()).toEqual(Object.keys(new AppConfig()).sort());
  });
});
