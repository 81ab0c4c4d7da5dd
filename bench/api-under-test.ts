import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { REPOSITORY_ROOT } from './environment';
import { BookableSlot, loadBookableSlots } from './fixtures';
import type { HttpRequest } from './measure';
import { freeLoopbackPort, ServerProcess, startServer } from './processes';
import { RESULTS_DIR } from './report';
import type { BenchUser } from './scenarios';

// The API as every bench mode starts and drives it: one way to run it, one way to sign in, so
// the full run, --against and --scaling measure the same process.

export const API_MAIN = join(REPOSITORY_ROOT, 'dist', 'src', 'main.js');
export const JWT_ISSUER = 'venues-bench';

/** Secrets shared by the API processes and the legacy reference for this run only. */
export interface RunSecrets {
  jwtSecret: string;
  profilerToken: string;
}

export function newRunSecrets(): RunSecrets {
  return { jwtSecret: randomBytes(32).toString('hex'), profilerToken: randomBytes(24).toString('hex') };
}

export function apiEnv(databaseUrl: string, secrets: RunSecrets, profiling: boolean): NodeJS.ProcessEnv {
  // One instance with its in-process cache: a REDIS_URL from the caller's shell would measure Redis instead.
  const { REDIS_URL: _redis, ...inherited } = process.env;
  return {
    ...inherited,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    SEED_DEMO_ON_EMPTY: 'false',
    LOG_LEVEL: 'warn',
    JWT_SECRET: secrets.jwtSecret,
    JWT_ISSUER,
    PROFILER_ENABLED: String(profiling),
    PROFILER_HEADERS: 'true',
    PROFILER_STRICT: 'false',
    PROFILER_TOKEN: secrets.profilerToken,
  };
}

/** `--cpu-prof`: node writes a V8 CPU profile of the process to bench/results/cpu-profiles when it exits. */
function cpuProfileArgs(cpuProfile: boolean, label: string): string[] {
  return cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS_DIR, 'cpu-profiles')}`, `--cpu-prof-name=api-${label}-${Date.now()}.cpuprofile`] : [];
}

export function startApi(databaseUrl: string, secrets: RunSecrets, profiling: boolean, cpuProfile: boolean): Promise<ServerProcess> {
  const label = profiling ? 'profiling-on' : 'profiling-off';
  return startServer({
    name: `api (${label})`,
    script: API_MAIN,
    env: apiEnv(databaseUrl, secrets, profiling),
    readyPath: '/health/ready',
    nodeArgs: cpuProfileArgs(cpuProfile, label),
  });
}

/** The pair process of a checkout's build (this one's, or another's for --against). */
export function profilingPairMainOf(checkout: string): string {
  return join(checkout, 'dist', 'bench', 'profiling-pair.main.js');
}

/** The two apps of one profiling-pair process: each a view of the same process, at its own address. */
export interface ProfilingPair {
  on: ServerProcess;
  off: ServerProcess;
  stop(): Promise<void>;
}

/** How to start a profiling pair: a CPU profile, extra node arguments, another checkout's build. */
export interface ProfilingPairOptions {
  cpuProfile?: boolean;
  nodeArgs?: string[];
  /** The root of the checkout, built (`dist/bench`), whose pair process to start: this one by default. */
  checkout?: string;
}

/**
 * One fresh process serving the API twice, profiling on and off (bench/profiling-pair.main.ts),
 * under the environment startApi gives a single API. Both views report the process's CPU: only the
 * app under load does work in a round.
 */
export async function startProfilingPair(databaseUrl: string, secrets: RunSecrets, { cpuProfile = false, nodeArgs = [], checkout = REPOSITORY_ROOT }: ProfilingPairOptions = {}): Promise<ProfilingPair> {
  const offPort = await freeLoopbackPort();
  const server = await startServer({
    name: 'api (profiling on and off)',
    script: profilingPairMainOf(checkout),
    env: { ...apiEnv(databaseUrl, secrets, true), PROFILING_OFF_PORT: String(offPort) },
    readyPath: '/health/ready',
    nodeArgs: [...cpuProfileArgs(cpuProfile, 'profiling-pair'), ...nodeArgs],
  });
  return {
    on: { ...server, name: 'api (profiling on)' },
    off: { ...server, name: 'api (profiling off)', baseUrl: `http://127.0.0.1:${offPort}` },
    stop: () => server.stop(),
  };
}

async function call(baseUrl: string, request: HttpRequest, expectedStatus: number): Promise<any> {
  const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
  const text = await response.text();
  if (response.status !== expectedStatus) throw new Error(`${request.method} ${request.path}: expected ${expectedStatus}, got ${response.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}): HttpRequest => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export async function registerUser(apiUrl: string, runId: string): Promise<BenchUser> {
  const credentials = { email: `bench-${runId}@example.com`, password: randomBytes(12).toString('hex') };
  const { id } = await call(apiUrl, postJson('/v1/auth/register', { ...credentials, name: 'Bench User' }), 201);
  const { accessToken } = await call(apiUrl, postJson('/v1/auth/login', credentials), 200);
  return { id, authorization: `Bearer ${accessToken}` };
}

/**
 * Gives the detail scenario a viewer with something to show: every third detail venue is a
 * favorite, every fourth (up to ten) has one upcoming booking. Done through the API, like a user.
 */
export async function prepareViewer(apiUrl: string, harness: DataSource, user: BenchUser, detailVenues: Array<{ id: number; slug: string }>): Promise<void> {
  const auth = { authorization: user.authorization };
  for (const venue of detailVenues.filter((_, index) => index % 3 === 0)) {
    await call(apiUrl, { method: 'PUT', path: `/v1/favorites/${venue.id}`, headers: auth }, 204);
  }
  const booked = detailVenues.filter((_, index) => index % 4 === 0).slice(0, 10);
  const firstSlots = new Map<string, BookableSlot>();
  for (const slot of await loadBookableSlots(harness, booked.map((venue) => venue.id), 5000)) {
    if (!firstSlots.has(slot.venueSlug)) firstSlots.set(slot.venueSlug, slot);
  }
  for (const slot of firstSlots.values()) {
    await call(apiUrl, postJson(`/v1/venues/${slot.venueSlug}/bookings`, { date: slot.date, slot: slot.slot, guests: slot.guests, addOns: [] }, auth), 201);
  }
}

/**
 * The bench user goes with everything it created, so repeated runs measure the same data: deleted
 * by the harness (the API has no delete for users), its bookings and itself in one transaction, so
 * they go together or not at all (its other rows go with it by their foreign keys' ON DELETE CASCADE).
 */
export function removeUser(harness: DataSource, userId: number): Promise<void> {
  return harness.transaction(async (manager) => {
    await manager.createQueryBuilder().delete().from('bookings').where('user_id = :userId', { userId }).execute();
    await manager.createQueryBuilder().delete().from('users').where('id = :userId', { userId }).execute();
  });
}
