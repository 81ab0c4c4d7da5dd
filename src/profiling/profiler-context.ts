import { currentRequestContext, extendRequestContext } from '../request-context/request-context';
import type { RequestProfile } from './request-profile';

export function runInStage<T>(name: string, work: () => T): T {
  return currentRequestContext<RequestProfile>()?.profile ? extendRequestContext({ stage: name }, work) : work();
}

export function currentProfile(): RequestProfile | undefined {
  return currentRequestContext<RequestProfile>()?.profile;
}

export function currentStageName(profile: RequestProfile): string {
  return (
    currentRequestContext()?.stage ??
    (profile.handlerStartMs === undefined ? 'auth' : profile.handlerEndMs === undefined ? 'handler' : 'serialization')
  );
}
