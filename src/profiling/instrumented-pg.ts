import { Client, Pool, PoolClient, QueryResult } from 'pg';
import { currentRequestContext } from '../request-context/request-context';
import { CallSites } from './call-sites';
import { currentProfile, currentStageName } from './profiler-context';
import type { RequestProfile, StatementStart } from './request-profile';
import { hashValues } from './values-hash';

type Callback = (error: Error | null, result?: unknown) => void;

const sessionOfClient = new WeakMap<object, number>();
const callSites = new CallSites();

function rowCount(result: unknown): number | null {
  const results = Array.isArray(result) ? result : [result];
  let total: number | null = null;
  for (const item of results as Array<Partial<QueryResult> | undefined>) {
    const rows = item?.rowCount ?? item?.rows?.length;
    if (typeof rows === 'number') total = (total ?? 0) + rows;
  }
  return total;
}

/**
 * A pg Client that times each statement from send to result, for the request it runs in, and notes
 * what the profiler's findings need: the statement's shape, a hash of its values, the relation
 * TypeORM is loading, an allowRepeated() reason and, at a bounded cost, its call site.
 * TypeORM's logger sees statements but not their durations, so timing lives at the driver.
 * Passed to the pool as `Client`; outside a request (migrations, seed, start-up) it does nothing.
 */
export class ProfiledClient extends Client {
  override query(...args: unknown[]): any {
    const context = currentRequestContext<RequestProfile>();
    const profile = context?.profile;
    const [config, values, callback] = args as [unknown, unknown, unknown];
    const isSubmittable = typeof (config as { submit?: unknown })?.submit === 'function';
    if (!profile || isSubmittable) return (super.query as (...a: unknown[]) => unknown)(...args);

    const sql = typeof config === 'string' ? config : String((config as { text?: string })?.text ?? '');
    const params = Array.isArray(values) ? values : (config as { values?: unknown[] })?.values;
    const shape = profile.shapeOf(sql);
    const stack = !shape.transactionControl && callSites.wants(shape.sql, shape.started) ? callSites.capture(ProfiledClient.prototype.query) : undefined;
    shape.started += 1;
    const start: StatementStart = {
      shape,
      startMs: profile.now(),
      stage: currentStageName(profile),
      callSite: null,
      valuesHash: hashValues(params),
      relation: context.relationLoad,
      allowedRepeat: context.allowedRepeat,
    };
    const record = (result: unknown, error?: unknown) => {
      const durationMs = profile.now() - start.startMs;
      if (stack) start.callSite = callSites.resolve(stack);
      else if (durationMs >= profile.options.slowQueryMs) callSites.markSlow(shape.sql);
      profile.recordQuery(
        start,
        {
          durationMs,
          rows: error ? null : rowCount(result),
          session: sessionOfClient.get(this) ?? null,
          ...(error !== undefined && { error: error instanceof Error ? error.message.slice(0, 200) : String(error) }),
        },
        params,
      );
    };
    const done = typeof values === 'function' ? (values as Callback) : typeof callback === 'function' ? (callback as Callback) : undefined;
    // Raw: the driver itself, forwarding the caller's statement; a callback is answered from the same promise.
    const sent = (super.query(config as string, typeof values === 'function' ? undefined : (values as unknown[])) as Promise<unknown>).then(
      (result) => {
        record(result);
        return result;
      },
      (error: unknown) => {
        record(undefined, error);
        throw error;
      },
    );
    if (!done) return sent;
    sent.then(
      (result) => done(null, result),
      (error: Error) => done(error),
    );
    return undefined;
  }
}

type ConnectCallback = (error: Error | undefined, client: PoolClient | undefined, release: (error?: Error) => void) => void;

/**
 * Counts pool checkouts per request (database sessions), times the wait for each one and when it
 * is given back, and tags it with the server of the pool (`primary`, `replica 1`, …).
 * pg-pool has no hook between "asked" and "got", so connect() itself is wrapped, once per pool;
 * pg-pool gives each checkout a release function of its own, wrapped for that checkout.
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
    // pg-pool hands out each checkout's own release function, as client.release and as the
    // callback's third argument (TypeORM uses the latter): both are replaced by one timed wrapper.
    const onAcquired = (client: PoolClient | undefined): PoolClient['release'] | undefined => {
      if (!client) return undefined;
      const session = profile.recordCheckout(requestedMs, profile.now(), queued, server);
      sessionOfClient.set(client, session);
      const release = client.release;
      client.release = (...args: Parameters<PoolClient['release']>) => {
        profile.recordRelease(session, profile.now());
        return release.apply(client, args);
      };
      return client.release;
    };
    if (callback) {
      return connect((error, client, release) => callback(error, client, onAcquired(client) ?? release));
    }
    return (connect() as Promise<PoolClient>).then((client) => {
      onAcquired(client);
      return client;
    });
  };
}
