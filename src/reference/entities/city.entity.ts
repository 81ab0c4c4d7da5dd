import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity('cities')
@Unique('cities_slug_key', ['slug'])
@Index('cities_country_code_idx', ['countryCode'])
@Check('cities_country_code_check', `country_code ~ '^[A-Z]{2}$'`)
@Check('cities_lat_check', 'lat BETWEEN -90 AND 90')
@Check('cities_lng_check', 'lng BETWEEN -180 AND 180')
export class City {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'cities_pkey' })
  id: number;

  @Column('text')
  slug: string;

  @Column('text')
  name: string;

  @Column('char', { name: 'country_code', length: 2 })
  countryCode: string;

  /** IANA time zone: a venue's dates are days in its city's zone. */
  @Column('text')
  timezone: string;

  @Column('double precision')
  lat: number;

  @Column('double precision')
  lng: number;
}
