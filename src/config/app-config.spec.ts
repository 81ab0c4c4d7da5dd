import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig, loadAppConfig } from './app-config';

describe('AppConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadAppConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DB_POOL_SIZE).toBe(10);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.profilerHeadersEnabled).toBe(true);
  });

  it('turns profiler headers off by default in production', () => {
    expect(loadAppConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).profilerHeadersEnabled).toBe(false);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DB_POOL_SIZE', '0'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['NODE_ENV', 'staging'],
    ['PROFILER_STRICT', 'yes'],
    ['PROFILER_TOKEN', 'short'],
  ])('stops on a bad %s=%s, naming the variable', (name, value) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}=`));
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
