import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { Venue } from '../../venue-domain/entities/venue.entity';

@Entity('favorites')
@Index('favorites_venue_id_idx', ['venueId'])
export class Favorite {
  @PrimaryColumn('integer', { name: 'user_id', primaryKeyConstraintName: 'favorites_pkey' })
  userId: number;

  @PrimaryColumn('integer', { name: 'venue_id', primaryKeyConstraintName: 'favorites_pkey' })
  venueId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'favorites_user_id_fkey' })
  user: User;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'favorites_venue_id_fkey' })
  venue: Venue;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
