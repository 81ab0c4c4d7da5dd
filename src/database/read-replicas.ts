import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { WalPosition } from './wal-position';

/**
 * How often each replica's replay position and lag are read, in the background: one statement per
 * replica per second per instance, whatever the traffic, and no statement on any request.
 */
const REPLICA_CHECK_INTERVAL_MS = 1000;

export type ReplicaState = 'streaming' | 'lagging' | 'down';

export interface ReplicaStatus {
  /** "replica 1", "replica 2", … in DATABASE_REPLICA_URLS order (URLs carry credentials; they are never shown). */
  name: string;
  state: ReplicaState;
  lagMs: number | null;
  detail?: string;
}

class Replica {
  state: ReplicaState = 'down';
  lagMs: number | null = null;
  /** Everything up to here had been replayed when last checked; replay only moves forward, so it still has. */
  replayed: WalPosition | undefined;
  detail: string | undefined = 'not checked yet';

  constructor(
    readonly name: string,
    readonly dataSource: DataSource,
  ) {}

  get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}

/**
 * The read replicas of DATABASE_REPLICA_URLS, each a DataSource of its own with the primary's
 * options (same entities, same pool settings and profiled client), and what is known of each: a
 * background check reads its replay position and lag. Reads take a replica only when it is up,
 * at most DATABASE_REPLICA_MAX_LAG_MS behind, and has replayed the position they need; otherwise
 * they run on the primary.
 */
export class ReadReplicas implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplicas');
  private readonly timer: NodeJS.Timeout | undefined;
  private next = 0;
  private checking = false;

  private constructor(
    private readonly primary: DataSource,
    private readonly replicas: Replica[],
    private readonly maxLagMs: number,
    private readonly onPool: ((pool: Pool, server: string) => void) | undefined,
  ) {
    if (replicas.length > 0) {
      this.timer = setInterval(() => void this.checkAll(), REPLICA_CHECK_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /**
   * Connects to every replica it can (one that is down is retried by the background check) and
   * checks each once. `onPool` sees each replica's pool once connected (the profiler tags its sessions).
   */
  static async connect(primary: DataSource, urls: string[], maxLagMs: number, onPool?: (pool: Pool, server: string) => void): Promise<ReadReplicas> {
    const replicas = urls.map(
      (url, index) => new Replica(`replica ${index + 1}`, new DataSource({ ...primary.options, url, migrations: [], migrationsRun: false, installExtensions: false } as DataSourceOptions)),
    );
    const readReplicas = new ReadReplicas(primary, replicas, maxLagMs, onPool);
    await readReplicas.checkAll();
    return readReplicas;
  }

  get configured(): boolean {
    return this.replicas.length > 0;
  }

  /** A replica fit to read from (round robin among those), having replayed `notBefore` if given; undefined: use the primary. */
  choose(notBefore?: WalPosition): { name: string; dataSource: DataSource } | undefined {
    const fit = this.replicas.filter(
      (replica) => replica.state === 'streaming' && (notBefore === undefined || (replica.replayed !== undefined && replica.replayed >= notBefore)),
    );
    if (fit.length === 0) return undefined;
    return fit[this.next++ % fit.length];
  }

  /** A replica a request could not reach is down until the background check says otherwise. */
  markDown(name: string, error: unknown): void {
    const replica = this.replicas.find((candidate) => candidate.name === name);
    if (!replica) return;
    replica.state = 'down';
    replica.detail = error instanceof Error ? error.message : String(error);
  }

  status(): ReplicaStatus[] {
    return this.replicas.map(({ name, state, lagMs, detail }) => ({ name, state, lagMs, ...(detail && { detail }) }));
  }

  /**
   * The primary's WAL position now, to call after a commit that replicas must have replayed before
   * their reads may be cached (see docs/decisions/read-replicas.md): one statement on the primary,
   * none without replicas. The insert position, since with synchronous_commit=off a commit may
   * return before its WAL is written.
   */
  async primaryPosition(): Promise<WalPosition | undefined> {
    if (!this.configured) return undefined;
    const row = await this.primary.createQueryBuilder().select('pg_current_wal_insert_lsn()::text', 'position').fromDummy().getRawOne<{ position: string }>();
    return WalPosition.parse(row!.position);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.filter((replica) => replica.dataSource.isInitialized).map((replica) => replica.dataSource.destroy()));
  }

  /** A check of an unresponsive replica can outlast the interval (up to the connection timeout): never two at once. */
  private async checkAll(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await Promise.all(this.replicas.map((replica) => this.check(replica)));
    } finally {
      this.checking = false;
    }
  }

  private async check(replica: Replica): Promise<void> {
    const before = replica.state;
    try {
      if (!replica.dataSource.isInitialized) {
        await replica.dataSource.initialize();
        this.onPool?.(replica.pool, replica.name);
      }
      // Lag is the age of the last replayed commit while WAL is waiting to be replayed, and 0 when
      // everything received is replayed (an idle primary sends no commits to measure against).
      const row = (await replica.dataSource
        .createQueryBuilder()
        .select('pg_last_wal_replay_lsn()::text', 'replayed')
        .addSelect(
          `CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000, 0) END::float8`,
          'lag_ms',
        )
        .fromDummy()
        .getRawOne<{ replayed: string | null; lag_ms: number }>())!;
      if (row.replayed === null) throw new Error('not a standby (pg_last_wal_replay_lsn() is null): it would serve reads of a diverging database');
      replica.replayed = WalPosition.parse(row.replayed);
      replica.lagMs = Math.round(row.lag_ms);
      replica.state = replica.lagMs > this.maxLagMs ? 'lagging' : 'streaming';
      replica.detail = replica.state === 'lagging' ? `replay is ${replica.lagMs} ms behind (more than DATABASE_REPLICA_MAX_LAG_MS=${this.maxLagMs})` : undefined;
    } catch (error) {
      replica.state = 'down';
      replica.lagMs = null;
      replica.detail = error instanceof Error ? error.message : String(error);
    }
    if (replica.state !== before) this.logger.log(`${replica.name} is ${replica.state}${replica.detail ? `: ${replica.detail}` : ''}; reads ${replica.state === 'streaming' ? 'use it' : 'go to the primary'}`);
  }
}
