import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Lateness } from '../test/support/delay-line';
import { type RelayStats, urlOnLoopbackPort } from '../test/support/tcp-relay';

export type RelayRequest = 'take-stats' | { poll: boolean };
export type RelayReply = { ports: { delayed: number; undelayed: number } } | { stats: RelayStats | null } | { poll: boolean };

/** PostgreSQL across a network: every measured implementation's DATABASE_URL points here instead. */
export interface DbRelay {
  /** The database URL through the relay. */
  url: string;
  /**
   * Through the same relay with no delay: the baseline of the round-trip inference. The hop costs
   * something of its own: on this two-core VM a request through the delayed relay took ~1.3 ms
   * more per round trip than one straight to PostgreSQL while the relay's deliveries were on time
   * to a few microseconds. That is the instrument's cost, not the network's.
   */
  undelayedUrl: string;
  /** Round trips it relayed and how late its chunks left against their due time, since the last call. */
  takeStats(): Promise<RelayStats | null>;
  /** Poll instead of sleeping between chunks (see DelayLine.poll): exact delays for a core. */
  poll(on: boolean): Promise<void>;
  stop(): Promise<void>;
}

const RELAY_MAIN = join(__dirname, 'db-relay.main.js');

function ask(child: ChildProcess, request: RelayRequest | null): Promise<RelayReply> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the database relay exited (code ${code})`));
    child.once('exit', exited);
    child.once('message', (reply: RelayReply) => {
      child.off('exit', exited);
      resolve(reply);
    });
    if (request !== null) child.send(request);
  });
}

/** A relay holding each chunk rttMs / 2 in each direction, so each round trip costs rttMs more. */
export async function startDbRelay(databaseUrl: string, rttMs: number): Promise<DbRelay> {
  const child = fork(RELAY_MAIN, [], {
    env: { ...process.env, BENCH_RELAY_TARGET: databaseUrl, BENCH_RELAY_ONE_WAY_DELAY_MS: String(rttMs / 2) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const started = await ask(child, null);
  if (!('ports' in started)) throw new Error('the database relay did not say its ports');
  return {
    url: urlOnLoopbackPort(databaseUrl, started.ports.delayed),
    undelayedUrl: urlOnLoopbackPort(databaseUrl, started.ports.undelayed),
    takeStats: async () => {
      const reply = await ask(child, 'take-stats');
      return 'stats' in reply ? reply.stats : null;
    },
    poll: async (on) => void (await ask(child, { poll: on })),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

const microseconds = (value: number) => `${Math.round(value)} µs`;

/** The --db-rtt setting as the reports state it. */
export function describeDbRtt(rttMs: number): string {
  if (rttMs === 0) return 'loopback, no relay (--db-rtt 0)';
  return `+${rttMs} ms per round trip (--db-rtt ${rttMs}: a relay holds each chunk ${rttMs / 2} ms in each direction)`;
}

/** How late the relay was against its setting during the scenarios, as the reports say it. */
export function relayLatenessLine(lateness: Lateness | null): string {
  if (!lateness || lateness.deliveries === 0) return 'The relay relayed nothing.';
  return `During the scenarios the relay's ${lateness.deliveries.toLocaleString('en')} chunks left late by p50 ${microseconds(lateness.p50Us)}, p99 ${microseconds(lateness.p99Us)}, max ${microseconds(lateness.maxUs)}.`;
}
