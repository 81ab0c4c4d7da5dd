import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestProfile } from './request-profile';

interface ProfiledContext {
  profile: RequestProfile;
  /** The explicit stage the code runs in (profiler.stage('filter', fn)); parallel-safe. */
  stage?: string;
}

/**
 * The request's profile travels with its async context, so the pg driver, the pool and any
 * parallel branch of a handler record into the right profile without being handed anything.
 * One storage for the profile and the stage: on Node 20 every promise a request creates copies
 * the store of every active AsyncLocalStorage, so each extra one costs on every request.
 */
const contextStorage = new AsyncLocalStorage<ProfiledContext>();

export function runInProfile<T>(profile: RequestProfile, work: () => T): T {
  return contextStorage.run({ profile }, work);
}

export function runInStage<T>(name: string, work: () => T): T {
  const context = contextStorage.getStore();
  return context ? contextStorage.run({ profile: context.profile, stage: name }, work) : work();
}

/** Runs process-level work (cache loads, EXPLAIN, listeners) so no request's profile counts it. */
export function outsideProfiles<T>(work: () => T): T {
  return contextStorage.exit(work);
}

export function currentProfile(): RequestProfile | undefined {
  return contextStorage.getStore()?.profile;
}

export function currentStageName(profile: RequestProfile): string {
  return (
    contextStorage.getStore()?.stage ??
    (profile.handlerStartMs === undefined ? 'auth' : profile.handlerEndMs === undefined ? 'handler' : 'serialization')
  );
}

/** Called by the global validation pipe around each transform. */
export async function timeValidation<T>(work: () => Promise<T>): Promise<T> {
  const profile = currentProfile();
  if (!profile) return work();
  const start = profile.now();
  try {
    return await work();
  } finally {
    profile.recordValidation(start, profile.now());
  }
}
