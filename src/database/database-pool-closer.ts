import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Closes the pool on shutdown and says so. Registered inside TypeORM's core module, whose
 * shutdown hooks run after those of every module that imports it, so nothing that still needs a
 * connection at shutdown loses it; TypeORM's own hook then finds the pool closed.
 */
@Injectable()
export class DatabasePoolCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(signal?: string): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.dataSource.destroy();
    this.logger.log(signal ? `database pool closed (${signal})` : 'database pool closed');
  }
}
