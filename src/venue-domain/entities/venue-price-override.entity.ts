import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Venue } from './venue.entity';

/** The price of every slot of the venue on one date (SPEC §3: it wins over slot and base prices). */
@Entity('venue_price_overrides')
@Check('venue_price_overrides_price_cents_check', 'price_cents >= 0')
export class VenuePriceOverride {
  @PrimaryColumn('integer', { name: 'venue_id', primaryKeyConstraintName: 'venue_price_overrides_pkey' })
  venueId: number;

  @PrimaryColumn('date', { primaryKeyConstraintName: 'venue_price_overrides_pkey' })
  date: string;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'venue_price_overrides_venue_id_fkey' })
  venue: Venue;

  @Column('integer', { name: 'price_cents' })
  priceCents: number;
}
