import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Memoized } from '../common/memoized';
import { ReferenceChangeListener } from '../database/reference-change-listener';
import { ReferenceRepository } from './reference.repository';

/** Runtime settings a deployment tunes in the app_config table. */
export interface RuntimeSettings {
  discoveryCacheTtlSeconds: number;
}

const DEFAULTS: RuntimeSettings = { discoveryCacheTtlSeconds: 60 };

const positiveInteger = (value: unknown, fallback: number) => (Number.isInteger(value) && (value as number) > 0 ? (value as number) : fallback);

function toRuntimeSettings(rows: Map<string, unknown>): RuntimeSettings {
  return { discoveryCacheTtlSeconds: positiveInteger(rows.get('discovery.cache_ttl_seconds'), DEFAULTS.discoveryCacheTtlSeconds) };
}

/**
 * app_config, memoized in process for APP_CONFIG_TTL_S (loaded once under concurrency,
 * reloaded on change notifications), instead of being read and expanded on every request.
 */
@Injectable()
export class AppSettings {
  private readonly settings: Memoized<RuntimeSettings>;

  constructor(repository: ReferenceRepository, changes: ReferenceChangeListener, config: AppConfig) {
    this.settings = changes.snapshot({
      name: 'app_config',
      tables: ['app_config'],
      ttlMs: config.APP_CONFIG_TTL_S * 1000,
      load: async () => toRuntimeSettings(await repository.findAppConfig()),
    });
  }

  current(): Promise<RuntimeSettings> {
    return this.settings.get();
  }

  async refresh(): Promise<void> {
    await this.settings.refresh();
  }
}
