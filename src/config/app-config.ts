import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsDefined,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
};

const emptyAsUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

const TRUSTED_NETWORK = String.raw`(?:loopback|linklocal|uniquelocal|\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9a-fA-F]*:[0-9a-fA-F:.]*(?:\/\d{1,3})?)`;
const TRUST_PROXY_PATTERN = new RegExp(String.raw`^(?:false|[1-9]\d?|${TRUSTED_NETWORK}(?:\s*,\s*${TRUSTED_NETWORK})*)$`);

/**
 * Every environment variable the service reads, with its default. Validated once at boot:
 * a bad value stops the process with a message naming the variable.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** postgres://user:pass@host:port/db. Unset: an embedded PostgreSQL under EMBEDDED_PG_DIR. */
  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string = undefined;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** How long a request may wait for a pool connection before failing fast with 503. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  DB_CONNECTION_TIMEOUT_MS = 5000;

  /**
   * Read replicas (streaming standbys of DATABASE_URL's server), comma-separated; empty = none.
   * Discovery and reference reads go to one that keeps up; writes and a user's own data never do.
   */
  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s,]+(\s*,\s*postgres(ql)?:\/\/[^\s,]+)*$/, {
    message: 'DATABASE_REPLICA_URLS must be a comma-separated list of postgres:// URLs (empty for none)',
  })
  DATABASE_REPLICA_URLS?: string = undefined;

  /** A replica whose replay is further behind than this serves no reads until it catches up. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  DATABASE_REPLICA_MAX_LAG_MS = 5000;

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT = 54329;

  /** Seed the demo dataset at start when the venues table is empty. Default: on outside production only. */
  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  SEED_DEMO_ON_EMPTY?: boolean = undefined;

  /** Swagger UI at /docs and the OpenAPI document at /docs-json. Default: on outside production only. */
  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  DOCS_ENABLED?: boolean = undefined;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBoolean)
  @IsBoolean()
  LOG_PRETTY = false;

  /**
   * Which X-Forwarded-For entries name the client: `false` (the peer is the client), a hop count
   * (1 behind one load balancer: the address it appended), or the proxies' networks. Never `true`:
   * Express would take the left-most entry, which any client writes itself.
   */
  @Matches(TRUST_PROXY_PATTERN, {
    message: 'TRUST_PROXY must be false, a hop count (1 behind one load balancer) or a comma list of trusted networks; true would trust a forged X-Forwarded-For',
  })
  TRUST_PROXY = 'false';

  @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb' })
  BODY_LIMIT = '100kb';

  /** How long the in-process holiday calendar lives without a change notification. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  HOLIDAY_CALENDAR_TTL_S = 3600;

  /** How long memoized app_config values live without a change notification. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  APP_CONFIG_TTL_S = 300;

  /** Collect per-request profiles (stages, statements, sessions) and metrics. */
  @Transform(toBoolean)
  @IsBoolean()
  PROFILER_ENABLED = true;

  /** Server-Timing / X-Query-Count / X-DB-Sessions on /v1 responses. Default: on outside production. */
  @Transform(toBoolean)
  @IsOptional()
  @IsBoolean()
  PROFILER_HEADERS?: boolean = undefined;

  /** An N+1, a duplicate statement or a blown @QueryBudget fails the request with a 500 (on in the test suite). */
  @Transform(toBoolean)
  @IsBoolean()
  PROFILER_STRICT = false;

  /** Runs of one normalized statement in a request that count as an N+1. */
  @Transform(toInteger)
  @IsInt()
  @Min(2)
  PROFILER_N_PLUS_ONE_THRESHOLD = 3;

  /** Recent profiles kept in memory (a ring buffer). */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10000)
  PROFILER_HISTORY_SIZE = 200;

  /** Grants read access to recorded profiles (X-Profiler-Token header). Unset outside production: random per start. */
  @Transform(emptyAsUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^.{16,}$/, { message: 'PROFILER_TOKEN must be at least 16 characters' })
  PROFILER_TOKEN?: string = undefined;

  /** Record bind parameter values in profiles. Off: profiles hold normalized SQL only. */
  @Transform(toBoolean)
  @IsBoolean()
  PROFILER_CAPTURE_PARAMS = false;

  /** Statements at least this slow are logged once with their EXPLAIN plan. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  SLOW_QUERY_MS = 100;

  /** A database session held this long without running a statement (Node work while holding a connection) is flagged. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  PROFILER_IDLE_SESSION_MS = 5;

  // Profiles shared across instances (only with REDIS_URL): the interesting ones are kept in Redis
  // so that any instance answers for any request id.

  /** How long a shared profile stays in Redis. */
  @Transform(toInteger)
  @IsInt()
  @Min(60)
  @Max(604800)
  PROFILER_SHARED_TTL_S = 3600;

  /** A request at least this slow (total ms) is shared, as one with a problem (N+1, duplicate, budget exceeded, 5xx) is. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  PROFILER_SLOW_REQUEST_MS = 500;

  /**
   * Shares one in this many of the other profiles too, chosen at random; 0 = none, 1 = every one.
   * Default: 1 in development (any id resolves on any instance), 0 in production and in tests.
   */
  @Transform(toInteger)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  PROFILER_SAMPLE_RATE?: number = undefined;

  // --- auth (src/auth): access tokens and the attempt limits

  /**
   * HS256 signing key of access tokens. Required in production, so every replica signs and
   * accepts the same tokens; unset elsewhere: random per start (a warning says tokens die with the process).
   */
  @Transform(emptyAsUndefined)
  @ValidateIf((config: AppConfig) => config.NODE_ENV === 'production' || config.JWT_SECRET !== undefined)
  @IsDefined({ message: 'JWT_SECRET is required when NODE_ENV=production (32+ random characters)' })
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters (256 bits for HS256)' })
  JWT_SECRET?: string = undefined;

  /** The `iss` claim tokens are signed with and must carry to be accepted. */
  @IsString()
  @MinLength(1)
  JWT_ISSUER = 'venues-api';

  /** Access token lifetime; there is no refresh token, so a client logs in again after it. */
  @Transform(toInteger)
  @IsInt()
  @Min(60)
  @Max(86400)
  JWT_EXPIRES_IN_S = 3600;

  // Attempt limits count in Redis when REDIS_URL is set (shared by every instance), else, and while
  // Redis is unavailable, in each process's memory. Over a limit: 429 with Retry-After.

  /** Login attempts per client address per minute (see TRUST_PROXY for what "client address" means). */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  /**
   * Failed login attempts per account (the email, case-insensitive) per minute, from any number of
   * addresses: slows credential stuffing. A successful login does not count, but a locked account
   * refuses its owner too until the minute ends.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  LOGIN_ACCOUNT_RATE_LIMIT = 5;

  /** Registrations per client address per hour (each one costs an argon2 hash). */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  REGISTER_RATE_LIMIT = 20;

  // --- discovery (src/discovery, src/catalog): response cache and slug catalog

  /**
   * Most bytes the in-process discovery cache holds: each entry's key, body and ETag as UTF-8, the
   * least recently used dropped first. 32 MiB: the process itself peaks at ~340 MB resident under
   * a soak of misses (docs/benchmarks.md), so it stays under 400 MB and fits a 512 MB container.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  DISCOVERY_CACHE_MAX_BYTES = 32 * 1024 * 1024;

  /** Most entries the in-process discovery cache keeps: bounds the per-entry bookkeeping the byte count leaves out. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  DISCOVERY_CACHE_MAX_ENTRIES = 10000;

  /** How long the in-memory city/category/add-on catalog lives without a change notification. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  CATALOG_TTL_S = 3600;

  // --- shared store (src/cache): Redis for the response cache, its invalidation and the attempt counters across instances

  /** redis://[user:pass@]host:port[/db] or rediss://. Unset: each instance caches in its own memory. */
  @Transform(emptyAsUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string = undefined;

  /** Connect, handshake and per-command timeout: what a silent Redis costs before the circuit breaker skips it. */
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  @Max(10000)
  REDIS_TIMEOUT_MS = 500;

  /**
   * After a Redis command or connection handshake goes unanswered for REDIS_TIMEOUT_MS, Redis is
   * skipped (cache misses, no-op writes, attempts counted per process) for this long; then one new connection tries it again.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  REDIS_BREAKER_OPEN_MS = 30_000;

  // --- bookings (src/bookings): Idempotency-Key records

  /** How long a booking's Idempotency-Key answers retries with the stored response (24 h to 30 days). */
  @Transform(toInteger)
  @IsInt()
  @Min(86400)
  @Max(2592000)
  IDEMPOTENCY_KEY_TTL_S = 86400;

  get databaseReplicaUrls(): string[] {
    return this.DATABASE_REPLICA_URLS?.split(',').map((url) => url.trim()) ?? [];
  }

  get profilerHeadersEnabled(): boolean {
    return this.PROFILER_ENABLED && (this.PROFILER_HEADERS ?? !this.isProduction);
  }

  get profilerSampleRate(): number {
    return this.PROFILER_SAMPLE_RATE ?? (this.NODE_ENV === 'development' ? 1 : 0);
  }

  /** TRUST_PROXY as Express's `trust proxy` setting takes it. */
  get trustProxy(): false | number | string {
    if (this.TRUST_PROXY === 'false') return false;
    return /^\d+$/.test(this.TRUST_PROXY) ? Number(this.TRUST_PROXY) : this.TRUST_PROXY;
  }

  /** Production serves no demo data unless asked for explicitly. */
  get seedDemoOnEmpty(): boolean {
    return this.SEED_DEMO_ON_EMPTY ?? !this.isProduction;
  }

  get docsEnabled(): boolean {
    return this.DOCS_ENABLED ?? !this.isProduction;
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

export class ConfigValidationError extends Error {}

/**
 * The process environment over the variables of a `.env` file in the working directory, when
 * there is one (an exported variable always wins over the file, as with most tools that read one).
 */
export function environmentWithDotEnv(path = '.env', environment: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!existsSync(path)) return environment;
  return { ...parseEnv(readFileSync(path, 'utf8')), ...environment };
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty value means "unset": the default applies.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const config = plainToInstance(AppConfig, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const messages = Object.values(error.constraints ?? {}).join('; ');
      return `  ${error.property}=${JSON.stringify(env[error.property])}: ${messages}`;
    });
    throw new ConfigValidationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
