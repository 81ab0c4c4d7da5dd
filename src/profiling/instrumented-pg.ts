import { Client, Pool, PoolClient, QueryResult } from 'pg';
import { currentProfile, currentStageName } from './profiler-context';
import type { RequestProfile } from './request-profile';

type Callback = (error: Error | null, result?: unknown) => void;

const sessionOfClient = new WeakMap<object, number>();

function rowCount(result: unknown): number | null {
  const results = Array.isArray(result) ? result : [result];
  let total: number | null = null;
  for (const item of results as Array<Partial<QueryResult> | undefined>) {
    const rows = item?.rowCount ?? item?.rows?.length;
    if (typeof rows === 'number') total = (total ?? 0) + rows;
  }
  return total;
}

function record(profile: RequestProfile, client: object, sql: string, params: unknown[] | undefined, start: number, stage: string, result: unknown, error?: unknown): void {
  profile.recordQuery(
    sql,
    {
      startMs: start,
      durationMs: profile.now() - start,
      rows: error ? null : rowCount(result),
      stage,
      session: sessionOfClient.get(client) ?? null,
      ...(error !== undefined && { error: error instanceof Error ? error.message.slice(0, 200) : String(error) }),
    },
    params,
  );
}

/**
 * A pg Client that times each statement from send to result, for the request it runs in.
 * TypeORM's logger sees statements but not their durations, so timing lives at the driver.
 * Passed to the pool as `Client`; outside a request (migrations, seed, start-up) it does nothing.
 */
export class ProfiledClient extends Client {
  override query(...args: unknown[]): any {
    const profile = currentProfile();
    const [config, values, callback] = args as [unknown, unknown, unknown];
    const isSubmittable = typeof (config as { submit?: unknown })?.submit === 'function';
    if (!profile || isSubmittable) return (super.query as (...a: unknown[]) => unknown)(...args);

    const sql = typeof config === 'string' ? config : String((config as { text?: string })?.text ?? '');
    const params = Array.isArray(values) ? values : (config as { values?: unknown[] })?.values;
    const stage = currentStageName(profile);
    const start = profile.now();
    const done = typeof values === 'function' ? (values as Callback) : typeof callback === 'function' ? (callback as Callback) : undefined;
    if (done) {
      const wrapped: Callback = (error, result) => {
        record(profile, this, sql, params, start, stage, result, error ?? undefined);
        done(error, result);
      };
      return typeof values === 'function' ? super.query(config as string, wrapped) : super.query(config as string, values as unknown[], wrapped);
    }
    return (super.query(config as string, values as unknown[]) as Promise<unknown>).then(
      (result) => {
        record(profile, this, sql, params, start, stage, result);
        return result;
      },
      (error: unknown) => {
        record(profile, this, sql, params, start, stage, undefined, error);
        throw error;
      },
    );
  }
}

type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, release: (error?: Error) => void) => void;

/**
 * Counts pool checkouts per request (database sessions), times the wait for each one and tags it
 * with the server of the pool (`primary`, `replica 1`, …).
 * pg-pool has no hook between "asked" and "got", so connect() itself is wrapped, once per pool.
 */
export function instrumentPool(pool: Pool, server = 'primary'): void {
  const instrumented = pool as Pool & { __profiled?: boolean };
  if (instrumented.__profiled) return;
  instrumented.__profiled = true;
  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<PoolClient> | void;

  (pool as unknown as { connect: unknown }).connect = (callback?: ConnectCallback) => {
    const profile = currentProfile();
    if (!profile) return connect(callback);
    const requestedMs = profile.now();
    const queued = pool.idleCount === 0;
    const onAcquired = (client: PoolClient | undefined) => {
      if (client) sessionOfClient.set(client, profile.recordCheckout(requestedMs, profile.now(), queued, server));
    };
    if (callback) {
      return connect((error, client, release) => {
        onAcquired(client);
        callback(error, client, release);
      });
    }
    return (connect() as Promise<PoolClient>).then((client) => {
      onAcquired(client);
      return client;
    });
  };
}
