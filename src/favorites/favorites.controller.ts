import { Controller, Delete, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { ApiProblemResponse } from '../common/problem-details.dto';
import { QueryBudget } from '../common/query-budget.decorator';
import { FavoriteVenueParams } from './dto/favorite-venue.params';
import { FavoritesService } from './favorites.service';

/** The signed-in user's favorite venues (SPEC §6); both verbs are idempotent. */
@ApiTags('favorites')
@Controller('v1/favorites')
export class FavoritesController {
  constructor(private readonly favorites: FavoritesService) {}

  @Put(':venueId')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @QueryBudget(1)
  @ApiOperation({ summary: 'Mark a venue as a favorite (no-op when it already is)' })
  @ApiNoContentResponse({ description: 'The venue is a favorite' })
  @ApiProblemResponse(400, 'venueId is not a positive integer')
  @ApiProblemResponse(404, 'No active venue has this id')
  async add(@Param() { venueId }: FavoriteVenueParams, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.favorites.add(user.id, venueId);
  }

  @Delete(':venueId')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @QueryBudget(1)
  @ApiOperation({ summary: 'Remove a venue from the favorites (no-op when it is not one)' })
  @ApiNoContentResponse({ description: 'The venue is not a favorite' })
  @ApiProblemResponse(400, 'venueId is not a positive integer')
  @ApiProblemResponse(404, 'No venue has this id')
  async remove(@Param() { venueId }: FavoriteVenueParams, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.favorites.remove(user.id, venueId);
  }
}
