import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Venue } from './venue.entity';

/** A date the venue is closed: every slot of that day is unavailable. */
@Entity('venue_blackouts')
export class VenueBlackout {
  @PrimaryColumn('integer', { name: 'venue_id', primaryKeyConstraintName: 'venue_blackouts_pkey' })
  venueId: number;

  @PrimaryColumn('date', { primaryKeyConstraintName: 'venue_blackouts_pkey' })
  date: string;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'venue_blackouts_venue_id_fkey' })
  venue: Venue;

  @Column('text', { nullable: true })
  reason: string | null;
}
