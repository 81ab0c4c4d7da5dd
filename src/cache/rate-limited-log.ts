/**
 * Reports the first of a burst of errors at once and then at most one line per interval, with the
 * number left unreported since the last line: an unreachable store fails every request, and a log
 * line per request would bury everything else.
 */
export class RateLimitedLog {
  private lastReportedAt = Number.NEGATIVE_INFINITY;
  private unreported = 0;

  constructor(
    private readonly write: (message: string) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  report(message: string): void {
    const now = this.now();
    if (now - this.lastReportedAt < this.intervalMs) {
      this.unreported += 1;
      return;
    }
    const since = this.unreported > 0 ? ` (and ${this.unreported} more since the last report)` : '';
    this.lastReportedAt = now;
    this.unreported = 0;
    this.write(`${message}${since}`);
  }
}
