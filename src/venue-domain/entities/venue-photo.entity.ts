import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Venue } from './venue.entity';

@Entity('venue_photos')
@Unique('venue_photos_venue_position_key', ['venueId', 'position'])
@Check('venue_photos_position_check', '"position" >= 0')
export class VenuePhoto {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'venue_photos_pkey' })
  id: number;

  @Column('integer', { name: 'venue_id' })
  venueId: number;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'venue_photos_venue_id_fkey' })
  venue: Venue;

  @Column('text')
  url: string;

  @Column('text', { nullable: true })
  caption: string | null;

  /** The cover photo is the one at the lowest position. */
  @Column('integer')
  position: number;
}
