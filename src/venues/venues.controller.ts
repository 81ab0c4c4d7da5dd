import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, USER_SPECIFIC_CACHE_CONTROL } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ApiProblemResponse } from '../common/problem-details.dto';
import { QueryBudget } from '../common/query-budget.decorator';
import { VenueDetailDto } from './dto/venue-detail.dto';
import { VenueDetailQuery } from './dto/venue-detail.query';
import { VenueRefParams } from './dto/venue-ref.params';
import { VenuesService } from './venues.service';

@ApiTags('venues')
@Controller('v1/venues')
export class VenuesController {
  constructor(private readonly venues: VenuesService) {}

  @Get(':idOrSlug')
  @Authenticated()
  @QueryBudget(5)
  @ApiOperation({
    summary: 'One venue with photos, add-ons, reviews, day-by-day availability and the viewer’s favorite flag and bookings',
    description: 'At most 5 SQL statements in one database session. The body is about the signed-in user: never cached.',
  })
  @ApiOkResponse({
    type: VenueDetailDto,
    headers: { 'Cache-Control': { description: 'User-specific', schema: { type: 'string', example: USER_SPECIFIC_CACHE_CONTROL } } },
  })
  @ApiProblemResponse(400, 'Malformed id or slug, invalid from, days outside 1..31, or an unknown parameter')
  @ApiProblemResponse(404, 'No active venue has this id or slug')
  detail(@Param() { idOrSlug }: VenueRefParams, @Query() query: VenueDetailQuery, @CurrentUser() user: AuthenticatedUser): Promise<VenueDetailDto> {
    return this.venues.detail(idOrSlug, query, user.id);
  }
}
