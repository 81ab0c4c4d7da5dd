import { AsyncLocalStorage } from 'node:async_hooks';

/** What code outside the profiler may report about the request it runs in. */
export interface RequestTimings {
  now(): number;
  recordValidation(startMs: number, endMs: number): void;
}

/** The state a request (or a script's unit of work) carries through its async calls. */
export interface RequestContext<Profile extends RequestTimings = RequestTimings> {
  /** The request's id (X-Request-Id): every log line written while the request runs carries it. */
  requestId?: string;
  /** Absent outside a request: a unit of work run by a script, a timer or the bench. */
  profile?: Profile;
  /** The explicit stage the code runs in (profiler.stage('filter', fn)); parallel-safe. */
  stage?: string;
  /** The database session a unit of work holds open (database/unit-of-work.ts), opaque here. */
  session?: object;
  /** The TypeORM relation being loaded (profiling/relation-loads.ts), named in N+1 findings. */
  relationLoad?: RelationLoadContext;
  /** Why repeated statements run here are intended (ProfilerService.allowRepeated). */
  allowedRepeat?: string;
}

export interface RelationLoadContext {
  entity: string;
  property: string;
  target: string;
  table: string;
  column: string;
}

/**
 * The request's context travels with its async calls, so the pg driver, the pool and any
 * parallel branch of a handler find it without being handed anything. One storage for the
 * whole context: on Node 20 every promise a request creates copies the store of every active
 * AsyncLocalStorage, so each extra one costs on every request.
 */
const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** Runs `work` in the current context (or a new one) with `change` applied, e.g. a stage or a session. */
export function extendRequestContext<T>(change: Omit<RequestContext, 'profile' | 'requestId'>, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...change }, work);
}

export function currentRequestContext<Profile extends RequestTimings>(): RequestContext<Profile> | undefined {
  return storage.getStore() as RequestContext<Profile> | undefined;
}

/** Runs process-level work (cache loads, EXPLAIN, listeners) so no request counts it. */
export function outsideRequests<T>(work: () => T): T {
  return storage.exit(work);
}

/**
 * Called by the global validation pipe around each transform that validates. A result that is
 * already there (a reused validated query) is timed and handed back as is: a promise around it
 * would cost the request another turn of the microtask queue.
 */
export function timeValidation<T>(work: () => T | Promise<T>): T | Promise<T> {
  const profile = storage.getStore()?.profile;
  if (!profile) return work();
  const start = profile.now();
  let result: T | Promise<T>;
  try {
    result = work();
  } catch (error) {
    profile.recordValidation(start, profile.now());
    throw error;
  }
  // A closure only for a validation still running: the reused query's path allocates none.
  if (result instanceof Promise) return result.finally(() => profile.recordValidation(start, profile.now()));
  profile.recordValidation(start, profile.now());
  return result;
}
