import { ApiProperty, OmitType } from '@nestjs/swagger';
import { SlugNameDto } from '../../common/slug-name.dto';
import { FreeSlotDto, VenueCardDto } from '../../venue-domain/dto/venue-card.dto';

export class DetailCityDto extends SlugNameDto {
  @ApiProperty({ description: 'IANA time zone; dates of the venue are days in it', example: 'Europe/Madrid' })
  timezone: string;
}

export class HostDto {
  @ApiProperty({ type: 'integer', example: 311 })
  id: number;

  @ApiProperty({ example: 'Lucía Fernández' })
  name: string;
}

export class PhotoDto {
  @ApiProperty({ example: 'https://img.example.com/v/1042/0.jpg' })
  url: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'The terrace at sunset' })
  caption: string | null;
}

export class AddOnOfferDto {
  @ApiProperty({ example: 'catering' })
  slug: string;

  @ApiProperty({ example: 'Catering' })
  name: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: "This venue's price for the add-on, minor units", example: 1500 })
  priceCents: number;
}

export class ReviewAuthorDto {
  @ApiProperty({ example: 'Marta Ruiz' })
  name: string;
}

export class ReviewDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 })
  rating: number;

  @ApiProperty({ example: 'Perfect for our team dinner.' })
  body: string;

  @ApiProperty({ type: ReviewAuthorDto })
  author: ReviewAuthorDto;

  @ApiProperty({ format: 'date-time', example: '2026-05-02T18:30:00.000Z' })
  createdAt: string;
}

/** Review counts by star rating, every rating present (0 when none). */
export class RatingHistogramDto {
  @ApiProperty({ name: '1', type: 'integer', minimum: 0, example: 1 })
  '1': number;

  @ApiProperty({ name: '2', type: 'integer', minimum: 0, example: 0 })
  '2': number;

  @ApiProperty({ name: '3', type: 'integer', minimum: 0, example: 4 })
  '3': number;

  @ApiProperty({ name: '4', type: 'integer', minimum: 0, example: 20 })
  '4': number;

  @ApiProperty({ name: '5', type: 'integer', minimum: 0, example: 62 })
  '5': number;
}

export class ReviewsDto {
  @ApiProperty({ type: [ReviewDto], maxItems: 3, description: 'The 3 newest reviews, newest first' })
  latest: ReviewDto[];

  @ApiProperty({ type: RatingHistogramDto })
  histogram: RatingHistogramDto;
}

export const SLOT_STATUSES = ['free', 'booked'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

export class DetailSlotDto extends FreeSlotDto {
  @ApiProperty({ enum: SLOT_STATUSES, description: 'booked: a confirmed booking holds the slot on this date' })
  status: SlotStatus;
}

export class DayAvailabilityDto {
  @ApiProperty({ format: 'date', example: '2026-06-12' })
  date: string;

  @ApiProperty({ description: "A public holiday of the venue's city: closed, no slots" })
  isHoliday: boolean;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  holidayName: string | null;

  @ApiProperty({ description: 'The venue is blacked out this date: closed, no slots' })
  blackout: boolean;

  @ApiProperty({ type: [DetailSlotDto], description: "Every slot of the date's weekday by start time; empty when closed" })
  slots: DetailSlotDto[];
}

export class UpcomingBookingDto {
  @ApiProperty({ type: 'integer', example: 90211 })
  id: number;

  @ApiProperty({ format: 'date', example: '2026-06-12' })
  date: string;

  @ApiProperty({ description: 'Slot code', example: 'evening' })
  slot: string;

  @ApiProperty({ enum: ['confirmed'], description: 'Only confirmed bookings are upcoming; cancelled ones are left out' })
  status: 'confirmed';
}

export class ViewerDto {
  @ApiProperty({ description: 'The venue is one of the signed-in user’s favorites' })
  isFavorite: boolean;

  @ApiProperty({ type: [UpcomingBookingDto], description: "The user's confirmed bookings here from today (venue time) on, soonest first" })
  upcomingBookings: UpcomingBookingDto[];
}

/** SPEC §6: the discovery card's fields, with richer city, add-ons and availability, plus the detail-only parts. */
export class VenueDetailDto extends OmitType(VenueCardDto, ['city', 'addOns', 'availability'] as const) {
  @ApiProperty({ type: DetailCityDto })
  city: DetailCityDto;

  @ApiProperty({ example: 'A rooftop terrace with views over the old town.' })
  description: string;

  @ApiProperty({ example: 'Calle de Alcalá 21, Madrid' })
  address: string;

  @ApiProperty({ type: HostDto })
  host: HostDto;

  @ApiProperty({ type: [PhotoDto], description: 'By position; the first is the cover photo' })
  photos: PhotoDto[];

  @ApiProperty({ type: [AddOnOfferDto], description: 'Offered add-ons with their prices, by slug' })
  addOns: AddOnOfferDto[];

  @ApiProperty({ type: ReviewsDto })
  reviews: ReviewsDto;

  @ApiProperty({ type: [DayAvailabilityDto], description: 'One entry per day from `from`, `days` entries' })
  availability: DayAvailabilityDto[];

  @ApiProperty({ type: ViewerDto })
  viewer: ViewerDto;
}
