import type { CheckoutRecord, QueryRecord } from './request-profile';

/** How one checked-out session was used: held from acquired to released, busy in statements, idle otherwise. */
export interface SessionUsage {
  acquiredMs: number;
  /** Null while still held when the profile was read (the time held runs to the response then). */
  releasedMs: number | null;
  heldMs: number;
  inStatementsMs: number;
  /** Held but running no statement: Node work (mapping rows, awaiting something else) while the connection is kept from others. */
  idleMs: number;
  idleFlagged: boolean;
}

/**
 * Statements on one session can overlap (pg queues them on the connection, and each is timed from
 * send to result), so the time in statements is the union of their intervals within the hold.
 */
export function sessionUsage(checkout: CheckoutRecord, queries: readonly QueryRecord[], endMs: number, idleThresholdMs: number): SessionUsage {
  const acquiredMs = checkout.requestedMs + checkout.waitMs;
  const heldUntil = checkout.releasedMs ?? Math.max(endMs, acquiredMs);
  const intervals = queries
    .filter((query) => query.session === checkout.session)
    .map((query) => [Math.max(query.startMs, acquiredMs), Math.min(query.startMs + query.durationMs, heldUntil)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  let inStatementsMs = 0;
  let coveredTo = acquiredMs;
  for (const [start, end] of intervals) {
    if (end <= coveredTo) continue;
    inStatementsMs += end - Math.max(start, coveredTo);
    coveredTo = end;
  }
  const heldMs = heldUntil - acquiredMs;
  const idleMs = Math.max(heldMs - inStatementsMs, 0);
  return { acquiredMs, releasedMs: checkout.releasedMs ?? null, heldMs, inStatementsMs, idleMs, idleFlagged: idleMs >= idleThresholdMs };
}
