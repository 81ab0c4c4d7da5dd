import { outsideRequests } from '../request-context/request-context';

/**
 * A process-wide cached value: loaded once however many callers ask at the same time, served
 * stale while a refresh runs after its TTL or an invalidation, so only the very first use waits.
 * Loads run outside any request's profile: they are the process's work, not the request's.
 */
export class Memoized<T> {
  private value: { data: T; loadedAt: number } | undefined;
  private pending: Promise<T> | undefined;
  private stale = false;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly onRefreshError: (error: unknown) => void = () => undefined,
  ) {}

  async get(): Promise<T> {
    if (!this.value) return this.refresh();
    if (this.stale || Date.now() - this.value.loadedAt >= this.ttlMs) {
      this.refresh().catch(this.onRefreshError);
    }
    return this.value.data;
  }

  /** Marks the value out of date and starts reloading it in the background. */
  invalidate(): void {
    this.stale = true;
    if (this.value) this.refresh().catch(this.onRefreshError);
  }

  /** Reloads now; concurrent callers share one load. */
  refresh(): Promise<T> {
    this.pending ??= outsideRequests(() => this.loadFresh());
    return this.pending;
  }

  private async loadFresh(): Promise<T> {
    this.stale = false;
    try {
      const data = await this.load();
      this.value = { data, loadedAt: Date.now() };
      return data;
    } catch (error) {
      this.stale = true;
      throw error;
    } finally {
      this.pending = undefined;
    }
  }
}
