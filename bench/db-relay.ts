import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Lateness } from '../test/support/delay-line';
import { type RelayStats, urlOnLoopbackPort } from '../test/support/tcp-relay';

export type RelayRequest = 'take-stats' | { busyWaitUs: number };
export type RelayReply = { port: number } | { stats: RelayStats | null } | { busyWaitUs: number };

/** PostgreSQL across a network: every measured implementation's DATABASE_URL points here instead. */
export interface DbRelay {
  /** The database URL through the relay. */
  url: string;
  /** Round trips it relayed and how late its chunks left against their due time, since the last call. */
  takeStats(): Promise<RelayStats | null>;
  /** Spin the last microseconds before each due time (see DelayLine.busyWait); 0 to sleep them. */
  busyWait(microseconds: number): Promise<void>;
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
  if (!('port' in started)) throw new Error('the database relay did not say its port');
  return {
    url: urlOnLoopbackPort(databaseUrl, started.port),
    takeStats: async () => {
      const reply = await ask(child, 'take-stats');
      return 'stats' in reply ? reply.stats : null;
    },
    busyWait: async (microseconds) => void (await ask(child, { busyWaitUs: microseconds })),
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
