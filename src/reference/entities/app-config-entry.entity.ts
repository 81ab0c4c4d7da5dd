import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One runtime tunable (e.g. discovery.cache_ttl_seconds), read through the in-memory AppSettings. */
@Entity('app_config')
export class AppConfigEntry {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'app_config_pkey' })
  key: string;

  @Column('jsonb')
  value: unknown;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
