import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { Venue } from './venue.entity';

/**
 * A guest's review of a venue. The newest-first index (created_at DESC, id DESC) belongs to
 * migration InitialSchema1764226800000: the decorators cannot order index columns, so
 * synchronize: false keeps it out of schema diffs.
 */
@Entity('reviews')
@Index('reviews_venue_newest_idx', { synchronize: false })
@Index('reviews_user_id_idx', ['userId'])
@Check('reviews_rating_check', 'rating BETWEEN 1 AND 5')
export class Review {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'reviews_pkey' })
  id: number;

  @Column('integer', { name: 'venue_id' })
  venueId: number;

  @ManyToOne(() => Venue, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'venue_id', foreignKeyConstraintName: 'reviews_venue_id_fkey' })
  venue: Venue;

  @Column('integer', { name: 'user_id' })
  userId: number;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'reviews_user_id_fkey' })
  author: User;

  @Column('smallint')
  rating: number;

  @Column('text', { default: '' })
  body: string;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
