/** A key's count in its current window and the time left of that window. */
export interface WindowCount {
  hits: number;
  msLeft: number;
}

/** Ended windows are dropped at most this often, on use, so the map holds about one window's keys. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Fixed-window hit counters in process memory, the same windows SharedThrottlerStorage keeps in
 * Redis: a key's window opens at its first hit and lasts the window length given with that hit.
 */
export class FixedWindowCounters {
  private readonly windows = new Map<string, { hits: number; endsAt: number }>();
  private nextSweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  increment(key: string, windowMs: number): WindowCount {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return { hits: window.hits, msLeft: window.endsAt - now };
  }

  /** Takes back one hit of the key's current window; nothing once that window has ended. */
  decrement(key: string): void {
    const window = this.windows.get(key);
    if (window && window.endsAt > this.now() && window.hits > 0) window.hits -= 1;
  }

  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + SWEEP_INTERVAL_MS;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
