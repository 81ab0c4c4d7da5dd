import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestProfile } from './request-profile';

/**
 * The request's profile travels with its async context, so the pg driver, the pool and any
 * parallel branch of a handler record into the right profile without being handed anything.
 */
export const profileStorage = new AsyncLocalStorage<RequestProfile>();

/** The explicit stage a piece of code runs in (profiler.stage('filter', fn)); parallel-safe. */
export const stageStorage = new AsyncLocalStorage<string>();

export function currentProfile(): RequestProfile | undefined {
  return profileStorage.getStore();
}

export function currentStageName(profile: RequestProfile): string {
  return stageStorage.getStore() ?? (profile.handlerStartMs === undefined ? 'auth' : profile.handlerEndMs === undefined ? 'handler' : 'serialization');
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
