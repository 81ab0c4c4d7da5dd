import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../common/page-meta.dto';

export const BOOKING_STATUSES = ['confirmed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** A booking as every bookings route answers it (SPEC §7). */
export class BookingDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 4711 })
  id: number;

  @ApiProperty({ type: 'integer', minimum: 1, example: 17 })
  venueId: number;

  @ApiProperty({ format: 'date', description: 'The booked day (YYYY-MM-DD), in the venue\'s time zone', example: '2026-12-18' })
  date: string;

  @ApiProperty({ description: 'Code of the booked slot', pattern: '^[a-z0-9-]+$', example: 'evening' })
  slot: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 40 })
  guests: number;

  @ApiProperty({ type: [String], description: 'Slugs of the booked add-ons, sorted', example: ['catering', 'parking'] })
  addOns: string[];

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: "The slot's price on the date (the venue's override for the date, else the slot's price, else the venue's base price) plus the add-ons' prices",
    example: 125000,
  })
  totalPriceCents: number;

  @ApiProperty({ description: 'ISO 4217 code of the venue\'s currency', pattern: '^[A-Z]{3}$', example: 'EUR' })
  currency: string;

  @ApiProperty({ enum: BOOKING_STATUSES, example: 'confirmed' })
  status: BookingStatus;
}

/** `total` counts all of the user's bookings, cancelled ones included. */
export class BookingPageMetaDto extends PageMetaDto {}

export class BookingListDto {
  @ApiProperty({ type: [BookingDto], description: 'Latest date first; on one date, latest slot first' })
  data: BookingDto[];

  @ApiProperty({ type: BookingPageMetaDto })
  meta: BookingPageMetaDto;
}
