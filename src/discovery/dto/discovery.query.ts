import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';
import { IsCalendarDate } from '../../common/calendar-date';
import { ReusableValidation } from '../../common/validation';
import {
  emptyAsAbsent,
  IsBookableDate,
  IsNumberIn,
  IsNotGreaterThan,
  Requires,
  SLUG_PATTERN,
  toIntegerFilter,
  toPlainDecimal,
  toPlainInteger,
  toSlugList,
  toStrictBoolean,
  withDefault,
} from '../../venue-domain/dto/query-values';

export const DISCOVERY_SORTS = ['relevance', 'distance', 'price_asc', 'price_desc', 'capacity_desc', 'rating'] as const;
export type DiscoverySort = (typeof DISCOVERY_SORTS)[number];

export const MAX_DAYS_AHEAD = 365;
export const MAX_RADIUS_KM = 500;
export const MAX_PAGE_SIZE = 100;
/** Deep pages cost an OFFSET scan; nobody pages 200,000 venues by hand. */
export const MAX_PAGE = 10_000;
/** PostgreSQL integer columns. */
const MAX_INT = 2_147_483_647;

const BOOLEAN_MESSAGE = (property: string) => `${property} must be one of true, false, 1, 0`;
const SLUG_MESSAGE = (property: string) => `${property} must be slugs (lowercase letters, digits, hyphens), comma-separated or repeated`;

type Position = { lat?: unknown; lng?: unknown };
const hasPosition = (query: Position) => query.lat !== undefined && query.lng !== undefined;
const eitherCoordinate = (query: Position) => query.lat !== undefined || query.lng !== undefined;

/** A non-negative integer filter where 0 (like an empty value) means "no filter". */
function IntegerFilter(description: string): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_INT, description: `${description}. 0 or empty: no filter` })(target, property);
    Transform(toIntegerFilter)(target, property);
    IsOptional()(target, property);
    IsNumberIn({ min: 0, max: MAX_INT, integer: true })(target, property);
  };
}

/**
 * GET /v1/discovery/venues query (SPEC §4). After the global ValidationPipe, an instance is the
 * normalized query: every edge rule applied, defaults set, 0 and empty values gone, slug lists
 * sorted. Slugs are checked for form here and resolved (unknown: 400) by the service, against
 * the in-memory catalog.
 */
@ReusableValidation()
export class DiscoveryQuery {
  @ApiPropertyOptional({ description: 'City slug. Required unless lat and lng are given', example: 'madrid', pattern: SLUG_PATTERN.source })
  @Transform(emptyAsAbsent)
  @ValidateIf((query: DiscoveryQuery) => query.city !== undefined || !hasPosition(query))
  @IsDefined({ message: 'city is required unless lat and lng are given' })
  @Matches(SLUG_PATTERN, { message: 'city must be a slug (lowercase letters, digits, hyphens)' })
  city?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: `Adds availability for that day. From yesterday to ${MAX_DAYS_AHEAD} days ahead (UTC)`,
    example: '2026-06-12',
  })
  @Transform(emptyAsAbsent)
  @IsOptional()
  @IsCalendarDate()
  @IsBookableDate(MAX_DAYS_AHEAD)
  date?: string;

  @IntegerFilter("Party size: the venue's min capacity ≤ guests ≤ its max capacity")
  guests?: number;

  @IntegerFilter('Lowest max capacity')
  @IsNotGreaterThan('maxCapacity')
  minCapacity?: number;

  @IntegerFilter('Highest max capacity')
  maxCapacity?: number;

  @ApiPropertyOptional({
    type: [String],
    description: 'One or more category slugs, comma-separated or repeated: venues of any of them',
    example: 'rooftop,garden',
  })
  @Transform(toSlugList)
  @IsOptional()
  @Matches(SLUG_PATTERN, { each: true, message: SLUG_MESSAGE('category') })
  category?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'One or more add-on slugs, comma-separated or repeated: venues offering all of them',
    example: 'catering,parking',
  })
  @Transform(toSlugList)
  @IsOptional()
  @Matches(SLUG_PATTERN, { each: true, message: SLUG_MESSAGE('addOns') })
  addOns?: string[];

  @IntegerFilter('Lowest base price, in cents')
  @IsNotGreaterThan('maxPrice')
  minPrice?: number;

  @IntegerFilter('Highest base price, in cents')
  maxPrice?: number;

  @ApiPropertyOptional({ enum: ['true', 'false', '1', '0'], description: 'Only venues with (true) or without (false) instant booking' })
  @Transform(toStrictBoolean)
  @IsOptional()
  @IsBoolean({ message: BOOLEAN_MESSAGE('instantBook') })
  instantBook?: boolean;

  @ApiPropertyOptional({ type: 'number', minimum: -90, maximum: 90, description: 'Your latitude; give lng too', example: 40.4168 })
  @Transform(toPlainDecimal)
  @ValidateIf(eitherCoordinate)
  @IsDefined({ message: 'lat is required with lng: give both or neither' })
  @IsNumberIn({ min: -90, max: 90 })
  lat?: number;

  @ApiPropertyOptional({ type: 'number', minimum: -180, maximum: 180, description: 'Your longitude; give lat too', example: -3.7038 })
  @Transform(toPlainDecimal)
  @ValidateIf(eitherCoordinate)
  @IsDefined({ message: 'lng is required with lat: give both or neither' })
  @IsNumberIn({ min: -180, max: 180 })
  lng?: number;

  @ApiPropertyOptional({
    type: 'number',
    exclusiveMinimum: true,
    minimum: 0,
    maximum: MAX_RADIUS_KM,
    description: 'Only venues within this great-circle distance of lat/lng, in km',
    example: 5,
  })
  @Transform(toPlainDecimal)
  @IsOptional()
  @IsNumberIn({ min: 0, max: MAX_RADIUS_KM, exclusiveMin: true })
  @Requires(hasPosition, 'radiusKm needs lat and lng')
  radiusKm?: number;

  @ApiPropertyOptional({ enum: ['true', 'false', '1', '0'], description: 'true: only venues with at least one free slot on date (needs date)' })
  // false asks for nothing, so it is the same query as no parameter.
  @Transform((input) => toStrictBoolean(input) || undefined)
  @IsOptional()
  @IsBoolean({ message: BOOLEAN_MESSAGE('onlyAvailable') })
  @Requires((query) => query.date !== undefined, 'onlyAvailable needs date')
  onlyAvailable?: true;

  @ApiPropertyOptional({
    enum: DISCOVERY_SORTS,
    default: 'relevance',
    description: 'relevance: rating, then review count. distance needs lat/lng. Ties by id ascending; unrated venues after rated ones',
  })
  @Transform(withDefault(emptyAsAbsent, 'relevance'))
  @IsIn(DISCOVERY_SORTS)
  @Requires((query) => query.sort !== 'distance' || hasPosition(query), 'sort=distance needs lat and lng')
  sort: DiscoverySort = 'relevance';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 })
  @Transform(withDefault(toPlainInteger, 1))
  @IsNumberIn({ min: 1, max: MAX_PAGE, integer: true })
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @Transform(withDefault(toPlainInteger, 20))
  @IsNumberIn({ min: 1, max: MAX_PAGE_SIZE, integer: true })
  pageSize = 20;
}
