import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { VenueSlot } from './venue-slot.entity';
import { Venue } from './venue.entity';

export type BookingStatus = 'confirmed' | 'cancelled';

/**
 * A booking of one slot of a venue on one date. "One confirmed booking per venue, slot and date"
 * and "one booking per user and Idempotency-Key" are partial unique indexes, which the decorators
 * cannot say: they belong to migration InitialSchema1764226800000, and synchronize: false keeps
 * them out of schema diffs.
 */
@Entity('bookings')
@Index('bookings_one_confirmed_per_slot_key', { synchronize: false })
@Index('bookings_user_idempotency_key', { synchronize: false })
@Index('bookings_user_date_idx', ['userId', 'date'])
@Check('bookings_guests_check', 'guests >= 1')
@Check('bookings_total_price_cents_check', 'total_price_cents >= 0')
@Check('bookings_status_check', `status IN ('confirmed', 'cancelled')`)
export class Booking {
  /** bigint: pg hands it over as a string; reads cast it where the API answers a number. */
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'bookings_pkey' })
  id: string;

  @Column('integer', { name: 'venue_id' })
  venueId: number;

  @ManyToOne(() => Venue)
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'bookings_venue_id_fkey' })
  venue: Venue;

  @Column('integer', { name: 'slot_id' })
  slotId: number;

  /** Referenced with its venue, so the database refuses a slot of another venue. */
  @ManyToOne(() => VenueSlot)
  @JoinColumn([
    { name: 'slot_id', referencedColumnName: 'id', foreignKeyConstraintName: 'bookings_slot_fkey' },
    { name: 'venue_id', referencedColumnName: 'venueId', foreignKeyConstraintName: 'bookings_slot_fkey' },
  ])
  slot: VenueSlot;

  @Column('integer', { name: 'user_id' })
  userId: number;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'bookings_user_id_fkey' })
  user: User;

  @Column('date')
  date: string;

  @Column('integer')
  guests: number;

  @Column('integer', { name: 'add_on_ids', array: true, default: () => `'{}'` })
  addOnIds: number[];

  @Column('integer', { name: 'total_price_cents' })
  totalPriceCents: number;

  @Column('text', { default: 'confirmed' })
  status: BookingStatus;

  @Column('text', { name: 'idempotency_key', nullable: true })
  idempotencyKey: string | null;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
