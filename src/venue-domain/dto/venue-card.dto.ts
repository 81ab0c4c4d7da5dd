import { ApiProperty } from '@nestjs/swagger';
import { SlugNameDto } from '../../common/slug-name.dto';

export class CapacityDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 20 })
  min: number;

  @ApiProperty({ type: 'integer', minimum: 1, example: 120 })
  max: number;
}

export class PriceDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Base price in minor units', example: 45000 })
  amountCents: number;

  @ApiProperty({ description: 'ISO 4217', pattern: '^[A-Z]{3}$', example: 'EUR' })
  currency: string;
}

export class LocationDto {
  @ApiProperty({ type: 'number', format: 'double', minimum: -90, maximum: 90, example: 40.4168 })
  lat: number;

  @ApiProperty({ type: 'number', format: 'double', minimum: -180, maximum: 180, example: -3.7038 })
  lng: number;
}

export class FreeSlotDto {
  @ApiProperty({ example: 'evening' })
  code: string;

  @ApiProperty({ pattern: '^\\d{2}:\\d{2}$', example: '18:00' })
  startsAt: string;

  @ApiProperty({ pattern: '^\\d{2}:\\d{2}$', example: '23:00' })
  endsAt: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: "The date's price override, else the slot's price, else the base price", example: 52000 })
  priceCents: number;
}

export class CardAvailabilityDto {
  @ApiProperty({ format: 'date', example: '2026-06-12' })
  date: string;

  @ApiProperty({ description: "A public holiday of the venue's city: closed, no slots" })
  isHoliday: boolean;

  @ApiProperty({ type: [FreeSlotDto], description: 'Free slots only (not booked, not on a blackout or holiday), by start time' })
  slots: FreeSlotDto[];
}

export class VenueCardDto {
  @ApiProperty({ type: 'integer', example: 1042 })
  id: number;

  @ApiProperty({ example: 'la-terraza-del-sol' })
  slug: string;

  @ApiProperty({ example: 'La Terraza del Sol' })
  name: string;

  @ApiProperty({ type: SlugNameDto })
  city: SlugNameDto;

  @ApiProperty({ type: SlugNameDto })
  category: SlugNameDto;

  @ApiProperty({ type: CapacityDto })
  capacity: CapacityDto;

  @ApiProperty({ type: PriceDto })
  price: PriceDto;

  @ApiProperty({ type: 'number', minimum: 0, maximum: 5, nullable: true, description: 'One decimal; null when reviewCount is 0', example: 4.6 })
  rating: number | null;

  @ApiProperty({ type: 'integer', minimum: 0, example: 87 })
  reviewCount: number;

  @ApiProperty()
  instantBook: boolean;

  @ApiProperty({ type: 'string', nullable: true, description: 'First photo by position', example: 'https://img.example.com/v/1042/0.jpg' })
  coverPhotoUrl: string | null;

  @ApiProperty({ type: [String], description: 'Add-on slugs, sorted', example: ['catering', 'parking'] })
  addOns: string[];

  @ApiProperty({ type: LocationDto })
  location: LocationDto;

  @ApiProperty({ type: 'number', minimum: 0, nullable: true, description: 'Great-circle km from lat/lng, rounded to 0.1; null without lat/lng', example: 2.3 })
  distanceKm: number | null;

  @ApiProperty({ type: CardAvailabilityDto, nullable: true, description: 'null without date' })
  availability: CardAvailabilityDto | null;
}
