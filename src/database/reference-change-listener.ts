import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { outsideProfiles } from '../profiling/profiler-context';

const CHANNEL = 'reference_data_changed';
const RECONNECT_DELAY_MS = 5000;

type ChangeHandler = () => void;

/**
 * One LISTEN connection per process, outside the pool, relaying the NOTIFYs the
 * reference-change triggers send. Subscribers invalidate their in-process caches; their TTLs
 * remain the fallback while the connection is down.
 */
@Injectable()
export class ReferenceChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReferenceChangeListener');
  private readonly handlers = new Map<string, ChangeHandler[]>();
  private client: Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly config: AppConfig) {}

  onTableChange(table: string, handler: ChangeHandler): void {
    this.handlers.set(table, [...(this.handlers.get(table) ?? []), handler]);
  }

  async onApplicationBootstrap(): Promise<void> {
    await outsideProfiles(() => this.connect());
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
