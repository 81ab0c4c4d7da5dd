import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { VenueCardColumns } from '../venue-domain/venue-card';
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

/**
 * The venue detail's statements. Each runs on the caller's EntityManager, so the whole detail
 * shares one QueryRunner (one database session); relations are explicit joins and per-venue
 * lists are JSON aggregates, so the statement count never depends on the data.
 */
@Injectable()
export class VenuesRepository {
  /**
   * An active venue with its city, category, host, photos, add-ons, 3 newest reviews (ties by id)
   * and rating histogram: everything about it that is the same for every viewer and every date.
   * Undefined when there is none.
   */
  async findDetail(manager: EntityManager, ref: VenueRef): Promise<VenueDetailRow | undefined> {
    const [column, value] = 'id' in ref ? ['id', ref.id] : ['slug', ref.slug];
    const rows: VenueDetailRow[] = await manager.query(
      `
      SELECT venue.id, venue.slug, venue.name, venue.description, venue.address,
             venue.min_capacity AS "minCapacity", venue.max_capacity AS "maxCapacity",
             venue.base_price_cents AS "basePriceCents", venue.currency,
             venue.rating::float8 AS rating, venue.review_count AS "reviewCount", venue.instant_book AS "instantBook",
             venue.lat, venue.lng,
             city.id AS "cityId", city.slug AS "citySlug", city.name AS "cityName",
             city.country_code AS "countryCode", city.timezone,
             category.slug AS "categorySlug", category.name AS "categoryName",
             host.id AS "hostId", host.name AS "hostName",
             to_char((now() AT TIME ZONE city.timezone)::date, 'YYYY-MM-DD') AS today,
             coalesce((SELECT json_agg(json_build_object('url', photo.url, 'caption', photo.caption) ORDER BY photo.position)
                       FROM venue_photos photo
                       WHERE photo.venue_id = venue.id), '[]') AS photos,
             coalesce((SELECT json_agg(json_build_object('slug', add_on.slug, 'name', add_on.name, 'priceCents', offer.price_cents)
                                       ORDER BY add_on.slug)
                       FROM venue_add_ons offer
                       JOIN add_ons add_on ON add_on.id = offer.add_on_id
                       WHERE offer.venue_id = venue.id), '[]') AS "addOns",
             coalesce((SELECT json_agg(json_build_object(
                                'rating', newest.rating,
                                'body', newest.body,
                                'author', json_build_object('name', newest.author_name),
                                'createdAt', to_char(newest.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                              ORDER BY newest.created_at DESC, newest.id DESC)
                       FROM (SELECT review.id, review.rating, review.body, review.created_at, author.name AS author_name
                             FROM reviews review
                             JOIN users author ON author.id = review.user_id
                             WHERE review.venue_id = venue.id
                             ORDER BY review.created_at DESC, review.id DESC
                             LIMIT 3) newest), '[]') AS "latestReviews",
             (SELECT json_build_object(
                       '1', count(*) FILTER (WHERE review.rating = 1), '2', count(*) FILTER (WHERE review.rating = 2),
                       '3', count(*) FILTER (WHERE review.rating = 3), '4', count(*) FILTER (WHERE review.rating = 4),
                       '5', count(*) FILTER (WHERE review.rating = 5))
              FROM reviews review
              WHERE review.venue_id = venue.id) AS "ratingHistogram"
      FROM venues venue
      JOIN cities city ON city.id = venue.city_id
      JOIN categories category ON category.id = venue.category_id
      JOIN users host ON host.id = venue.host_id
      WHERE venue.${column} = $1 AND venue.is_active`,
      [value],
    );
    return rows[0];
  }

  /** Whether the user favorited the venue, and their confirmed bookings there from `today` on. */
  async viewerState(manager: EntityManager, venueId: number, userId: number, today: string): Promise<ViewerRow> {
    const [row]: ViewerRow[] = await manager.query(
      `
      SELECT EXISTS (SELECT 1 FROM favorites WHERE user_id = $2 AND venue_id = $1) AS "isFavorite",
             coalesce((SELECT json_agg(json_build_object(
                                'id', booking.id, 'date', to_char(booking.date, 'YYYY-MM-DD'), 'slot', slot.code, 'status', booking.status)
                              ORDER BY booking.date, slot.starts_at, booking.id)
                       FROM bookings booking
                       JOIN venue_slots slot ON slot.id = booking.slot_id
                       WHERE booking.user_id = $2 AND booking.venue_id = $1 AND booking.date >= $3::date
                         AND booking.status = 'confirmed'), '[]') AS "upcomingBookings"`,
      [venueId, userId, today],
    );
    return row;
  }
}
