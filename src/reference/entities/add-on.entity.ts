import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** An extra a venue can offer (catering, parking, …); its price is per venue (VenueAddOn). */
@Entity('add_ons')
@Unique('add_ons_slug_key', ['slug'])
export class AddOn {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'add_ons_pkey' })
  id: number;

  @Column('text')
  slug: string;

  @Column('text')
  name: string;
}
