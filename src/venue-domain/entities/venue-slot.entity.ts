import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Venue } from './venue.entity';

/**
 * A bookable part of a weekday (morning, evening, …). (id, venue_id) is unique so that a booking
 * can reference its slot and venue together: a booking's slot always belongs to its venue.
 */
@Entity('venue_slots')
@Unique('venue_slots_venue_weekday_code_key', ['venueId', 'weekday', 'code'])
@Unique('venue_slots_id_venue_key', ['id', 'venueId'])
@Check('venue_slots_weekday_check', 'weekday BETWEEN 0 AND 6')
@Check('venue_slots_code_check', `code ~ '^[a-z0-9-]+$'`)
@Check('venue_slots_price_cents_check', 'price_cents >= 0')
@Check('venue_slots_time_order_check', 'ends_at > starts_at')
export class VenueSlot {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'venue_slots_pkey' })
  id: number;

  @Column('integer', { name: 'venue_id' })
  venueId: number;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'venue_slots_venue_id_fkey' })
  venue: Venue;

  /** 0 = Sunday … 6 = Saturday, as PostgreSQL's extract(dow). */
  @Column('smallint')
  weekday: number;

  @Column('text')
  code: string;

  @Column('time', { name: 'starts_at' })
  startsAt: string;

  @Column('time', { name: 'ends_at' })
  endsAt: string;

  /** Null: the venue's base price applies (unless a price override for the date does). */
  @Column('integer', { name: 'price_cents', nullable: true })
  priceCents: number | null;
}
