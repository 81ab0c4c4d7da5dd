import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { City } from './city.entity';

/**
 * A holiday of a whole country (cityId null) or of one city. The expression and partial indexes
 * belong to migration InitialSchema1764226800000; synchronize: false keeps them out of schema diffs.
 */
@Entity('public_holidays')
@Index('public_holidays_scope_date_key', { synchronize: false })
@Index('public_holidays_city_id_idx', { synchronize: false })
export class PublicHoliday {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'public_holidays_pkey' })
  id: number;

  @Column('char', { name: 'country_code', length: 2 })
  countryCode: string;

  @Column('integer', { name: 'city_id', nullable: true })
  cityId: number | null;

  @ManyToOne(() => City, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'city_id', foreignKeyConstraintName: 'public_holidays_city_id_fkey' })
  city: City | null;

  @Column('date')
  date: string;

  @Column('text')
  name: string;
}
