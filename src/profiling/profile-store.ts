import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { matchesListQuery, ProfileListQuery } from './profile-list.query';
import { ProfileSummary, ProfileView, StoredProfile, toProfileSummary, toProfileView, toStoredProfile } from './profile-view';
import type { RequestProfile } from './request-profile';
import { SharedProfileStore } from './shared-profile-store';

const newestFirst = (a: ProfileSummary, b: ProfileSummary) => b.startedAt.localeCompare(a.startedAt);

/**
 * The most recent profiles of this instance in a fixed-size ring: memory stays flat under any
 * load. Profiles are kept as recorded and turned into their JSON view only when someone reads
 * them, so the request path pays for no copy. With REDIS_URL the interesting ones are also
 * shared (SharedProfileStore), and reads fall back to them: any instance answers for any id.
 */
@Injectable()
export class ProfileStore {
  private readonly ring: Array<RequestProfile | undefined>;
  private next = 0;

  constructor(
    config: AppConfig,
    private readonly shared: SharedProfileStore,
  ) {
    this.ring = new Array(config.PROFILER_HISTORY_SIZE);
  }

  /** Called once the response has been sent; sharing is not awaited and cannot fail the caller. */
  add(profile: RequestProfile): void {
    this.ring[this.next] = profile;
    this.next = (this.next + 1) % this.ring.length;
    if (this.shared.enabled && this.shared.shareReason(profile) !== undefined) void this.shared.keep(profile);
  }

  /** This instance's profiles, newest first. */
  recent(): ProfileView[] {
    const ordered: ProfileView[] = [];
    for (let offset = 1; offset <= this.ring.length; offset += 1) {
      const item = this.ring[(this.next - offset + this.ring.length) % this.ring.length];
      if (item) ordered.push(toProfileView(item));
    }
    return ordered;
  }

  /** This instance's profiles and the shared ones (each once) that match `query`, newest first. */
  async list(query: ProfileListQuery): Promise<ProfileSummary[]> {
    const local = this.recent().map(toProfileSummary);
    const localIds = new Set(local.map((summary) => summary.id));
    const shared = (await this.shared.summaries(query.route)).filter((summary) => !localIds.has(summary.id));
    return [...local, ...shared]
      .filter((summary) => matchesListQuery(summary, query))
      .sort(newestFirst)
      .slice(0, query.limit);
  }

  async find(id: string): Promise<StoredProfile | undefined> {
    const profile = this.ring.find((item) => item?.id === id);
    return profile ? toStoredProfile(profile) : this.shared.find(id);
  }
}
