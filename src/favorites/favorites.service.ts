import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemException } from '../common/problem-details';
import { FavoritesRepository } from './favorites.repository';

/** Both operations are idempotent: repeating one leaves the same state and the same answer. */
@Injectable()
export class FavoritesService {
  constructor(private readonly repository: FavoritesRepository) {}

  async add(userId: number, venueId: number): Promise<void> {
    if (!(await this.repository.addFavorite(userId, venueId))) throw venueNotFound(venueId);
  }

  /** Allowed for a deactivated venue too, so a user can still clear it from their favorites. */
  async remove(userId: number, venueId: number): Promise<void> {
    if (!(await this.repository.removeFavorite(userId, venueId))) throw venueNotFound(venueId);
  }
}

function venueNotFound(venueId: number): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, { detail: `No venue has the id ${venueId}` });
}
