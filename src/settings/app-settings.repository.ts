import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class AppSettingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findAll(): Promise<Map<string, unknown>> {
    const rows = await this.dataSource
      .createQueryBuilder()
      .select(['c.key AS "key"', 'c.value AS "value"'])
      .from('app_config', 'c')
      .getRawMany<{ key: string; value: unknown }>();
    return new Map(rows.map((row) => [row.key, row.value]));
  }
}
