import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BookingsRepository } from './bookings.repository';

/** Expired keys are only dropped in bulk: a claim treats a record it finds as valid until it is gone. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes expired idempotency records once an hour, so the table holds about a day of keys. Every
 * instance runs it; the DELETE is idempotent, so overlapping runs only repeat a cheap statement.
 */
@Injectable()
export class IdempotencyKeyPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyKeyPurger');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly repository: BookingsRepository) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async purge(): Promise<void> {
    try {
      const deleted = await this.repository.purgeExpiredIdempotencyKeys();
      if (deleted > 0) this.logger.log(`purged ${deleted} expired idempotency keys`);
    } catch (error) {
      this.logger.warn(`idempotency key purge failed, retrying in an hour: ${String(error)}`);
    }
  }
}
