import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Memoized } from '../common/memoized';
import { ReferenceChangeListener } from '../database/reference-change-listener';
import { AppSettingsRepository } from './app-settings.repository';

/** Runtime settings a deployment tunes in the app_config table. */
export interface RuntimeSettings {
  discoveryCacheTtlSeconds: number;
}

const DEFAULTS: RuntimeSettings = { discoveryCacheTtlSeconds: 60 };

const positiveInteger = (value: unknown, fallback: number) => (Number.isInteger(value) && (value as number) > 0 ? (value as number) : fallback);

/**
 * app_config, memoized in process for APP_CONFIG_TTL_S (loaded once under concurrency,
 * reloaded on change notifications), instead of being read and expanded on every request.
 */
@Injectable()
export class AppSettings implements OnApplicationBootstrap {
  private readonly logger = new Logger('AppSettings');
  private readonly settings: Memoized<RuntimeSettings>;

  constructor(repository: AppSettingsRepository, changes: ReferenceChangeListener, config: AppConfig) {
    this.settings = new Memoized(
      async () => {
        const rows = await repository.findAll();
        return {
          discoveryCacheTtlSeconds: positiveInteger(rows.get('discovery.cache_ttl_seconds'), DEFAULTS.discoveryCacheTtlSeconds),
        };
      },
      config.APP_CONFIG_TTL_S * 1000,
      (error) => this.logger.warn(`app_config refresh failed, serving the previous values: ${String(error)}`),
    );
    changes.onTableChange('app_config', () => this.settings.invalidate());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.settings.refresh();
  }

  current(): Promise<RuntimeSettings> {
    return this.settings.get();
  }

  async refresh(): Promise<void> {
    await this.settings.refresh();
  }
}
