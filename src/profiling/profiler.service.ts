import { Injectable } from '@nestjs/common';
import { extendRequestContext } from '../request-context/request-context';
import { currentProfile, runInStage } from './profiler-context';

/** The explicit profiling API for handlers and services; a no-op outside a profiled request. */
@Injectable()
export class ProfilerService {
  /** Times `work` as a named stage; statements it runs are attributed to the stage. */
  async stage<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    const profile = currentProfile();
    if (!profile) return work();
    const start = profile.now();
    try {
      return await runInStage(name, work);
    } finally {
      profile.recordStage(name, start, profile.now());
    }
  }

  /**
   * Marks repetition that is intended (e.g. a retry, or a statement whose result changes between
   * runs): statements `work` repeats are reported with `reason` instead of as an N+1 or a duplicate.
   */
  allowRepeated<T>(reason: string, work: () => T): T {
    return currentProfile() ? extendRequestContext({ allowedRepeat: reason }, work) : work();
  }

  /** Reported as `cache;desc=hit|miss` in Server-Timing, in the log line and the metrics. */
  markCache(result: 'hit' | 'miss'): void {
    const profile = currentProfile();
    if (profile) profile.cache = result;
  }

  /**
   * Tightens the handler's @QueryBudget for this request when the path taken is known to need
   * fewer statements (e.g. a holiday needs no availability query).
   */
  limitBudget(maxStatements: number, reason: string): void {
    const profile = currentProfile();
    if (profile && (!profile.budget || maxStatements < profile.budget.limit)) profile.budget = { limit: maxStatements, reason };
  }

  /**
   * Widens the handler's @QueryBudget for this request by statements the handler cannot know of
   * because the deployment adds them (e.g. the WAL position a booking reads for read replicas).
   */
  extendBudget(extraStatements: number, reason: string): void {
    const profile = currentProfile();
    if (profile?.budget) profile.budget = { limit: profile.budget.limit + extraStatements, reason };
  }

  statementCount(): number {
    return currentProfile()?.statementCount ?? 0;
  }
}
