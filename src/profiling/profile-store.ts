import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { ProfileView } from './profile-view';

/** The most recent profiles in a fixed-size ring: memory stays flat under any load. */
@Injectable()
export class ProfileStore {
  private readonly ring: Array<ProfileView | undefined>;
  private next = 0;

  constructor(config: AppConfig) {
    this.ring = new Array(config.PROFILER_HISTORY_SIZE);
  }

  add(profile: ProfileView): void {
    this.ring[this.next] = profile;
    this.next = (this.next + 1) % this.ring.length;
  }

  /** Newest first. */
  recent(): ProfileView[] {
    const ordered: ProfileView[] = [];
    for (let offset = 1; offset <= this.ring.length; offset += 1) {
      const item = this.ring[(this.next - offset + this.ring.length) % this.ring.length];
      if (item) ordered.push(item);
    }
    return ordered;
  }

  find(id: string): ProfileView | undefined {
    return this.ring.find((item) => item?.id === id);
  }
}
