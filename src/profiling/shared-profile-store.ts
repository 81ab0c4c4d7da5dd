import { Injectable, Logger } from '@nestjs/common';
import { RateLimitedLog } from '../cache/rate-limited-log';
import { SharedCacheStore } from '../cache/shared-cache-store';
import { AppConfig } from '../config/app-config';
import { MAX_LISTED_PROFILES } from './profile-list.query';
import { ProfileSummary, StoredProfile, toProfileSummary, toStoredProfile } from './profile-view';
import type { RequestProfile } from './request-profile';

/** The slowest shared profiles each route keeps in its index. */
export const WORST_PER_ROUTE = 20;
/** Shared profiles the recent index keeps: as many as one list can show. */
const RECENT_INDEX_SIZE = MAX_LISTED_PROFILES;
const ERROR_LOG_INTERVAL_MS = 60_000;

/** Why a profile is kept in Redis; undefined: it stays in its instance's memory only. */
export type ShareReason = 'problem' | 'slow' | 'captured' | 'sampled';

/**
 * One round trip, atomic: the profile and its summary with their TTL, the recent index (by start
 * time, trimmed by age and size) and the route's worst index (by total time). Members of the
 * worst index whose profile has expired are dropped first, or an old slow request would hold its
 * place after it can no longer be read (the index keys are only refreshed, never left to expire,
 * while the route is used). KEYS: profile, summary, recent index, worst index. ARGV: profile JSON,
 * summary JSON, id, TTL s, started at ms, total ms, oldest start kept ms, recent size, worst size,
 * the profile key prefix (the worst index holds ids; a single Redis, so keys built here are fine).
 */
const KEEP_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[7])
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[8]) - 1)
redis.call('EXPIRE', KEYS[3], ARGV[4])
for _, member in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
  if redis.call('EXISTS', ARGV[10] .. member) == 0 then redis.call('ZREM', KEYS[4], member) end
end
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[3])
redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -tonumber(ARGV[9]) - 1)
redis.call('EXPIRE', KEYS[4], ARGV[4])
return 1`;

/**
 * Interesting profiles in Redis (with REDIS_URL), so that any instance answers for any request id:
 * those with a problem (N+1, duplicate, budget exceeded, 5xx), slow ones (PROFILER_SLOW_REQUEST_MS),
 * those a request asked for (X-Profiler-Capture with the profiler token) and 1 in
 * PROFILER_SAMPLE_RATE of the rest. Keys under the deployment's namespace, `profiler:`.
 *
 * Through SharedCacheStore's one client and circuit breaker: a Redis down or skipped reads as
 * "not shared" and drops writes, so profiles then stay in their instance's memory and no request
 * waits for or fails on Redis. Writes start after the response has been sent.
 */
@Injectable()
export class SharedProfileStore {
  private readonly errors = new RateLimitedLog((message) => new Logger('SharedProfileStore').warn(message), ERROR_LOG_INTERVAL_MS);
  private readonly ttlSeconds: number;

  constructor(
    private readonly shared: SharedCacheStore,
    private readonly config: AppConfig,
  ) {
    this.ttlSeconds = config.PROFILER_SHARED_TTL_S;
  }

  get enabled(): boolean {
    return this.shared.configured;
  }

  shareReason(profile: RequestProfile): ShareReason | undefined {
    const repeated = profile.findings.some((finding) => finding.allowed === null);
    const overBudget = profile.budget !== undefined && profile.statementCount > profile.budget.limit;
    if (repeated || overBudget || profile.status >= 500) return 'problem';
    if (profile.totalMs >= this.config.PROFILER_SLOW_REQUEST_MS) return 'slow';
    if (profile.captureRequested) return 'captured';
    const rate = this.config.profilerSampleRate;
    if (rate > 0 && Math.random() * rate < 1) return 'sampled';
    return undefined;
  }

  /** Resolves once Redis has the profile or the write is given up; never rejects. */
  async keep(profile: RequestProfile): Promise<void> {
    try {
      const stored = toStoredProfile(profile);
      const { view } = stored;
      await this.shared.run((client) =>
        client.eval(KEEP_SCRIPT, {
          keys: [this.profileKey(view.id), this.summaryKey(view.id), this.recentKey(), this.worstKey(view.route)],
          arguments: [
            JSON.stringify(stored),
            JSON.stringify(toProfileSummary(view)),
            view.id,
            String(this.ttlSeconds),
            String(profile.startedAtEpochMs),
            String(view.totalMs),
            String(Date.now() - this.ttlSeconds * 1000),
            String(RECENT_INDEX_SIZE),
            String(WORST_PER_ROUTE),
            this.profileKey(''),
          ],
        }),
      );
    } catch (error) {
      this.errors.report(`A profile could not be shared: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async find(id: string): Promise<StoredProfile | undefined> {
    const json = await this.shared.run((client) => client.get(this.profileKey(id)));
    return typeof json === 'string' ? (JSON.parse(json) as StoredProfile) : undefined;
  }

  /**
   * Summaries of the shared profiles, newest first: the recent index, and with `route` also that
   * route's worst index (its slow requests may be older than the recent index reaches).
   */
  async summaries(route?: string): Promise<ProfileSummary[]> {
    if (!this.enabled) return [];
    const recent = this.shared.run((client) => client.zRange(this.recentKey(), 0, -1, { REV: true }));
    const worst = route === undefined ? undefined : this.shared.run((client) => client.zRange(this.worstKey(route), 0, -1, { REV: true }));
    const ids = [...new Set([...((await recent) ?? []), ...((await worst) ?? [])])];
    if (ids.length === 0) return [];
    const found = (await this.shared.run((client) => client.mGet(ids.map((id) => this.summaryKey(id))))) ?? [];
    return found
      .filter((json): json is string => typeof json === 'string')
      .map((json) => JSON.parse(json) as ProfileSummary)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  private profileKey(id: string): string {
    return this.shared.key('profiler', 'profile', id);
  }

  private summaryKey(id: string): string {
    return this.shared.key('profiler', 'summary', id);
  }

  private recentKey(): string {
    return this.shared.key('profiler', 'recent');
  }

  private worstKey(route: string): string {
    return this.shared.key('profiler', 'worst', route);
  }
}
