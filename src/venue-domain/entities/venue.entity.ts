import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { Category } from '../../reference/entities/category.entity';
import { City } from '../../reference/entities/city.entity';

/**
 * A venue for hire. Relations are declared on the side that holds the foreign key, for the query
 * builders' explicit joins, and never load on their own (no eager, no lazy). No inverse
 * (OneToMany) side: every join starts from the owning side, and an unused inverse would only tie
 * the entity files into an import circle.
 *
 * The discovery indexes are partial (WHERE is_active), ordered (DESC NULLS LAST) or covering
 * (INCLUDE), which the decorators cannot say: they belong to migrations InitialSchema1764226800000,
 * DiscoveryIndexes1795761700000 and CoveringSortIndexes1795761800000, and synchronize: false keeps
 * them out of schema diffs.
 */
@Entity('venues')
@Unique('venues_slug_key', ['slug'])
@Index('venues_category_id_idx', ['categoryId'])
@Index('venues_host_id_idx', ['hostId'])
@Index('venues_city_relevance_idx', { synchronize: false })
@Index('venues_city_rating_idx', { synchronize: false })
@Index('venues_city_price_idx', { synchronize: false })
@Index('venues_city_price_desc_idx', { synchronize: false })
@Index('venues_city_capacity_idx', { synchronize: false })
@Index('venues_city_search_idx', { synchronize: false })
@Index('venues_location_search_idx', { synchronize: false })
@Check('venues_lat_check', 'lat BETWEEN -90 AND 90')
@Check('venues_lng_check', 'lng BETWEEN -180 AND 180')
@Check('venues_min_capacity_check', 'min_capacity >= 1')
@Check('venues_capacity_range_check', 'max_capacity >= min_capacity')
@Check('venues_base_price_cents_check', 'base_price_cents >= 0')
@Check('venues_currency_check', `currency ~ '^[A-Z]{3}$'`)
@Check('venues_rating_check', 'rating BETWEEN 0 AND 5')
@Check('venues_review_count_check', 'review_count >= 0')
@Check('venues_rating_needs_reviews_check', '(review_count = 0) = (rating IS NULL)')
export class Venue {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'venues_pkey' })
  id: number;

  @Column('text')
  slug: string;

  @Column('text')
  name: string;

  @Column('text', { default: '' })
  description: string;

  @Column('text')
  address: string;

  @Column('integer', { name: 'city_id' })
  cityId: number;

  @ManyToOne(() => City)
  @JoinColumn({ name: 'city_id', foreignKeyConstraintName: 'venues_city_id_fkey' })
  city: City;

  @Column('integer', { name: 'category_id' })
  categoryId: number;

  @ManyToOne(() => Category)
  @JoinColumn({ name: 'category_id', foreignKeyConstraintName: 'venues_category_id_fkey' })
  category: Category;

  @Column('integer', { name: 'host_id' })
  hostId: number;

  @ManyToOne(() => User)
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'venues_host_id_fkey' })
  host: User;

  @Column('double precision')
  lat: number;

  @Column('double precision')
  lng: number;

  @Column('integer', { name: 'min_capacity' })
  minCapacity: number;

  @Column('integer', { name: 'max_capacity' })
  maxCapacity: number;

  @Column('integer', { name: 'base_price_cents' })
  basePriceCents: number;

  @Column('char', { length: 3 })
  currency: string;

  /** One decimal; null while the venue has no review. Read as float8 (pg returns numeric as text). */
  @Column('numeric', { precision: 2, scale: 1, nullable: true })
  rating: string | null;

  @Column('integer', { name: 'review_count', default: 0 })
  reviewCount: number;

  @Column('boolean', { name: 'instant_book', default: false })
  instantBook: boolean;

  @Column('boolean', { name: 'is_active', default: true })
  isActive: boolean;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
