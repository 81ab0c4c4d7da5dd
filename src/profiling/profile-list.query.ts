import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { ProfileSummary } from './profile-view';

export const MAX_LISTED_PROFILES = 500;
const DEFAULT_LISTED_PROFILES = 100;
const MAX_ROUTE_LENGTH = 300;

// An empty value means "not given" (the filter is off, the limit takes its default); anything
// that is not plainly what the parameter takes stays as sent, so its validator names it in the 400.
const emptyAsUnset = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toDecimal = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' && /^\d{1,9}(\.\d{1,6})?$/.test(value) ? Number(value) : value;
};
const toBooleanWord = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  return value === 'true' ? true : value === 'false' ? false : value;
};
const toListLimit = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return DEFAULT_LISTED_PROFILES;
  return typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;
};

/** Filters of the profile list, as the /_profiler page sends them. */
export class ProfileListQuery {
  @ApiPropertyOptional({ description: "The route template, exactly (e.g. '/v1/venues/:idOrSlug')", maxLength: MAX_ROUTE_LENGTH, example: '/v1/discovery/venues' })
  @Transform(emptyAsUnset)
  @IsOptional()
  @IsString()
  // It names a Redis key when the list reads a route's slowest shared requests.
  @MaxLength(MAX_ROUTE_LENGTH)
  route?: string;

  @ApiPropertyOptional({ description: 'A status class (1xx…5xx) or an exact status code', pattern: '^[1-5](xx|\\d\\d)$', example: '5xx' })
  @Transform(emptyAsUnset)
  @IsOptional()
  @Matches(/^[1-5](xx|\d\d)$/, { message: 'status must be a status class such as 2xx, 4xx, 5xx or a status code such as 404' })
  status?: string;

  @ApiPropertyOptional({ type: 'number', minimum: 0, description: 'Only requests that took at least this many milliseconds' })
  @Transform(toDecimal)
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'minMs must be a number of milliseconds' })
  @Min(0)
  minMs?: number;

  @ApiPropertyOptional({ type: 'boolean', description: 'true: only requests with a problem (N+1, duplicate, budget exceeded, idle session, 5xx); false: only those without' })
  @Transform(toBooleanWord)
  @IsOptional()
  @IsBoolean({ message: 'problems must be true or false' })
  problems?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LISTED_PROFILES, default: 100 })
  @Transform(toListLimit)
  @IsInt()
  @Min(1)
  @Max(MAX_LISTED_PROFILES)
  limit = DEFAULT_LISTED_PROFILES;
}

export function hasProblem({ problems }: Pick<ProfileSummary, 'problems'>): boolean {
  return problems.nPlusOne > 0 || problems.duplicates > 0 || problems.budgetExceeded || problems.idleSessions > 0 || problems.serverError;
}

export function matchesListQuery(summary: ProfileSummary, query: ProfileListQuery): boolean {
  if (query.route !== undefined && summary.route !== query.route) return false;
  if (query.status !== undefined && !matchesStatus(summary.status, query.status)) return false;
  if (query.minMs !== undefined && summary.totalMs < query.minMs) return false;
  if (query.problems !== undefined && hasProblem(summary) !== query.problems) return false;
  return true;
}

function matchesStatus(status: number, wanted: string): boolean {
  return wanted.endsWith('xx') ? Math.floor(status / 100) === Number(wanted[0]) : status === Number(wanted);
}
