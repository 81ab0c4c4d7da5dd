import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { Memoized } from '../common/memoized';
import { outsideRequests } from '../request-context/request-context';

const CHANNEL = 'reference_data_changed';
const RECONNECT_DELAY_MS = 5000;

type ChangeHandler = () => void;

export interface TableSnapshotOptions<T> {
  /** What the snapshot is, for log lines. */
  name: string;
  /** Tables whose change notifications make it reload. */
  tables: string[];
  /** How long it lives when no notification arrives (the fallback while LISTEN is down). */
  ttlMs: number;
  load: () => Promise<T>;
}

/**
 * One LISTEN connection per process, outside the pool, relaying the NOTIFYs the
 * reference-change triggers send. Subscribers invalidate their in-process caches; their TTLs
 * remain the fallback while the connection is down.
 */
@Injectable()
export class ReferenceChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReferenceChangeListener');
  private readonly handlers = new Map<string, ChangeHandler[]>();
  private readonly snapshots: Array<Memoized<unknown>> = [];
  private client: Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly config: AppConfig) {}

  onTableChange(table: string, handler: ChangeHandler): void {
    this.handlers.set(table, [...(this.handlers.get(table) ?? []), handler]);
  }

  /**
   * An in-process snapshot of rarely changing tables: loaded once at start-up, reloaded in the
   * background when one of `tables` changes or after `ttlMs`, the previous one served meanwhile.
   */
  snapshot<T>(options: TableSnapshotOptions<T>): Memoized<T> {
    const snapshot = new Memoized(options.load, options.ttlMs, (error) =>
      this.logger.warn(`${options.name} refresh failed, serving the previous one: ${String(error)}`),
    );
    for (const table of options.tables) this.onTableChange(table, () => snapshot.invalidate());
    this.snapshots.push(snapshot as Memoized<unknown>);
    return snapshot;
  }

  async onApplicationBootstrap(): Promise<void> {
    await outsideRequests(() => this.connect());
    await Promise.all(this.snapshots.map((snapshot) => snapshot.refresh()));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'venues-api-listen' });
    client.on('notification', (message) => this.dispatch(message.payload ?? ''));
    client.on('error', (error) => this.scheduleReconnect(client, error));
    client.on('end', () => this.scheduleReconnect(client));
    try {
      await client.connect();
      // Raw: LISTEN, on a dedicated connection outside the pool: not a statement TypeORM can send.
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
    } catch (error) {
      this.scheduleReconnect(client, error);
    }
  }

  private dispatch(table: string): void {
    for (const handler of this.handlers.get(table) ?? []) handler();
  }

  private scheduleReconnect(client: Client, error?: unknown): void {
    if (this.stopped || this.reconnectTimer || (this.client && this.client !== client)) return;
    this.client = undefined;
    if (error) this.logger.warn(`change notifications paused, caches fall back to their TTL: ${String(error)}`);
    client.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      // A table may have changed while nobody listened.
      for (const table of this.handlers.keys()) this.dispatch(table);
      void this.connect();
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }
}
