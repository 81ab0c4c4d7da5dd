import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { GenerateSql } from '../common/generate-sql.decorator';
import { ReusableStatement } from '../database/reusable-statement';
import { UnitOfWork } from '../database/unit-of-work';
import { Favorite } from '../favorites/entities/favorite.entity';
import { Booking } from '../venue-domain/entities/booking.entity';
import { Review } from '../venue-domain/entities/review.entity';
import { VenueAddOn } from '../venue-domain/entities/venue-add-on.entity';
import { VenuePhoto } from '../venue-domain/entities/venue-photo.entity';
import { Venue } from '../venue-domain/entities/venue.entity';
import { selectCardColumns, type VenueCardColumns } from '../venue-domain/venue-card';
import type { VenueRef } from '../venue-domain/venue-ref';
import type { AddOnOfferDto, PhotoDto, RatingHistogramDto, ReviewDto, UpcomingBookingDto } from './dto/venue-detail.dto';

export interface VenueDetailRow extends VenueCardColumns {
  description: string;
  address: string;
  timezone: string;
  hostId: number;
  hostName: string;
  /** Today in the venue's time zone, by the database clock (YYYY-MM-DD). */
  today: string;
  photos: PhotoDto[];
  addOns: AddOnOfferDto[];
  /** The 3 newest, newest first. */
  latestReviews: ReviewDto[];
  ratingHistogram: RatingHistogramDto;
}

export interface ViewerRow {
  isFavorite: boolean;
  upcomingBookings: UpcomingBookingDto[];
}

type VenueQuery = SelectQueryBuilder<Venue>;

const RATINGS = [1, 2, 3, 4, 5];

/**
 * The venue detail's statements, on the open session of the caller's UnitOfWork (one session for
 * the whole detail). Relations are explicit joins and per-venue lists are JSON aggregates, so the
 * statement count never depends on the data. Subqueries refer to the outer `venue` by column name:
 * TypeORM maps property names only for the aliases a builder declares itself.
 */
@Injectable()
export class VenuesRepository {
  private readonly detailById: ReusableStatement;
  private readonly detailBySlug: ReusableStatement;
  private readonly viewer: ReusableStatement;

  constructor(
    @InjectRepository(Venue) venues: Repository<Venue>,
    @InjectRepository(Booking) bookings: Repository<Booking>,
    unitOfWork: UnitOfWork,
  ) {
    this.detailById = new ReusableStatement(unitOfWork, () => detailStatement(venues).andWhere('venue.id = :id'));
    this.detailBySlug = new ReusableStatement(unitOfWork, () => detailStatement(venues).andWhere('venue.slug = :slug'));
    this.viewer = new ReusableStatement(unitOfWork, () => viewerStatement(bookings));
  }

  /**
   * An active venue with its city, category, host, photos, add-ons, 3 newest reviews (ties by id)
   * and rating histogram: everything about it that is the same for every viewer and every date.
   * Undefined when there is none.
   */
  @GenerateSql({ name: 'by id', params: [{ id: 1042 }] }, { name: 'by slug', params: [{ slug: 'sky-terrace' }] })
  findDetail(ref: VenueRef): Promise<VenueDetailRow | undefined> {
    return 'id' in ref ? this.detailById.first({ id: ref.id }) : this.detailBySlug.first({ slug: ref.slug });
  }

  /** Whether the user favorited the venue, and their confirmed bookings there from `today` on. */
  @GenerateSql({ name: 'a viewer with a favorite and bookings', params: [1042, 7, '2026-06-01'] })
  async viewerState(venueId: number, userId: number, today: string): Promise<ViewerRow> {
    return (await this.viewer.first<ViewerRow>({ venueId, userId, today }))!;
  }
}

function detailStatement(venues: Repository<Venue>): VenueQuery {
  const query = venues.createQueryBuilder('venue');
  return selectCardColumns(query)
    .addSelect('venue.description', 'description')
    .addSelect('venue.address', 'address')
    .addSelect('city.timezone', 'timezone')
    .addSelect('host.id', 'hostId')
    .addSelect('host.name', 'hostName')
    .addSelect(`to_char((now() AT TIME ZONE city.timezone)::date, 'YYYY-MM-DD')`, 'today')
    .addSelect(`coalesce(${photosOf(query).getQuery()}, '[]')`, 'photos')
    .addSelect(`coalesce(${addOnsOf(query).getQuery()}, '[]')`, 'addOns')
    .addSelect(`coalesce(${latestReviewsOf(query).getQuery()}, '[]')`, 'latestReviews')
    .addSelect(ratingHistogramOf(query).getQuery(), 'ratingHistogram')
    .innerJoin('venue.city', 'city')
    .innerJoin('venue.category', 'category')
    .innerJoin('venue.host', 'host')
    .where('venue.isActive');
}

function viewerStatement(bookings: Repository<Booking>): SelectQueryBuilder<Booking> {
  const query = bookings.createQueryBuilder('booking');
  const favorite = query.subQuery().select('1').from(Favorite, 'favorite').where('favorite.userId = :userId').andWhere('favorite.venueId = :venueId');
  // A builder always has a FROM, so the bookings are this statement's own rows rather than a subquery;
  // an aggregate without GROUP BY still answers one row when there is none.
  return query
    .select(`EXISTS ${favorite.getQuery()}`, 'isFavorite')
    .addSelect(
      `coalesce(json_agg(json_build_object('id', booking.id, 'date', to_char(booking.date, 'YYYY-MM-DD'), 'slot', slot.code, 'status', booking.status)
                         ORDER BY booking.date, slot.startsAt, booking.id), '[]')`,
      'upcomingBookings',
    )
    .innerJoin('booking.slot', 'slot')
    .where('booking.userId = :userId')
    .andWhere('booking.venueId = :venueId')
    .andWhere('booking.date >= :today::date')
    .andWhere(`booking.status = 'confirmed'`);
}

function photosOf(venue: VenueQuery) {
  return venue
    .subQuery()
    .select(`json_agg(json_build_object('url', photo.url, 'caption', photo.caption) ORDER BY photo.position)`)
    .from(VenuePhoto, 'photo')
    .where('photo.venueId = venue.id');
}

function addOnsOf(venue: VenueQuery) {
  return venue
    .subQuery()
    .select(`json_agg(json_build_object('slug', add_on.slug, 'name', add_on.name, 'priceCents', offer.priceCents) ORDER BY add_on.slug)`)
    .from(VenueAddOn, 'offer')
    .innerJoin('offer.addOn', 'add_on')
    .where('offer.venueId = venue.id');
}

/** The 3 newest reviews (ties by id), newest first; the LIMIT applies before the aggregate. */
function latestReviewsOf(venue: VenueQuery) {
  return venue
    .subQuery()
    .select(
      `json_agg(json_build_object(
         'rating', newest.rating,
         'body', newest.body,
         'author', json_build_object('name', newest.author_name),
         'createdAt', to_char(newest.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       ORDER BY newest.created_at DESC, newest.id DESC)`,
    )
    .from(
      (reviews) =>
        reviews
          .select('review.id', 'id')
          .addSelect('review.rating', 'rating')
          .addSelect('review.body', 'body')
          .addSelect('review.createdAt', 'created_at')
          .addSelect('author.name', 'author_name')
          .from(Review, 'review')
          .innerJoin('review.author', 'author')
          .where('review.venueId = venue.id')
          .orderBy('review.createdAt', 'DESC')
          .addOrderBy('review.id', 'DESC')
          .limit(3),
      'newest',
    );
}

function ratingHistogramOf(venue: VenueQuery) {
  const counts = RATINGS.map((rating) => `'${rating}', count(*) FILTER (WHERE review.rating = ${rating})`);
  return venue
    .subQuery()
    .select(`json_build_object(${counts.join(', ')})`)
    .from(Review, 'review')
    .where('review.venueId = venue.id');
}
