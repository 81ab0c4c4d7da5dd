import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ProfileView, StoredProfile, toProfileView, toStoredProfile } from './profile-view';
import type { RequestProfile } from './request-profile';

/**
 * The most recent profiles in a fixed-size ring: memory stays flat under any load. Profiles are
 * kept as recorded and turned into their JSON view only when someone reads them, so the
 * request path pays for no copy.
 */
@Injectable()
export class ProfileStore {
  private readonly ring: Array<RequestProfile | undefined>;
  private next = 0;

  constructor(config: AppConfig) {
    this.ring = new Array(config.PROFILER_HISTORY_SIZE);
  }

  add(profile: RequestProfile): void {
    this.ring[this.next] = profile;
    this.next = (this.next + 1) % this.ring.length;
  }

  /** Newest first. */
  recent(): ProfileView[] {
    const ordered: ProfileView[] = [];
    for (let offset = 1; offset <= this.ring.length; offset += 1) {
      const item = this.ring[(this.next - offset + this.ring.length) % this.ring.length];
      if (item) ordered.push(toProfileView(item));
    }
    return ordered;
  }

  find(id: string): StoredProfile | undefined {
    const profile = this.ring.find((item) => item?.id === id);
    return profile && toStoredProfile(profile);
  }
}
