import { Global, Module } from '@nestjs/common';
import { AppSettings } from './app-settings';
import { AppSettingsRepository } from './app-settings.repository';

@Global()
@Module({
  providers: [AppSettingsRepository, AppSettings],
  exports: [AppSettings],
})
export class SettingsModule {}
