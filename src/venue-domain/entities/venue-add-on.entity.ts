import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AddOn } from '../../reference/entities/add-on.entity';
import { Venue } from './venue.entity';

/** An add-on a venue offers, at the venue's own price. */
@Entity('venue_add_ons')
@Index('venue_add_ons_add_on_venue_idx', ['addOnId', 'venueId'])
@Check('venue_add_ons_price_cents_check', 'price_cents >= 0')
export class VenueAddOn {
  @PrimaryColumn('integer', { name: 'venue_id', primaryKeyConstraintName: 'venue_add_ons_pkey' })
  venueId: number;

  @PrimaryColumn('integer', { name: 'add_on_id', primaryKeyConstraintName: 'venue_add_ons_pkey' })
  addOnId: number;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'venue_add_ons_venue_id_fkey' })
  venue: Venue;

  @ManyToOne(() => AddOn)
  @JoinColumn({ name: 'add_on_id', foreignKeyConstraintName: 'venue_add_ons_add_on_id_fkey' })
  addOn: AddOn;

  @Column('integer', { name: 'price_cents' })
  priceCents: number;
}
