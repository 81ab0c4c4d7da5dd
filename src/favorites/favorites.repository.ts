import { Injectable } from '@nestjs/common';
import { GenerateSql } from '../common/generate-sql.decorator';
import { UnitOfWork } from '../database/unit-of-work';
import { Venue } from '../venue-domain/entities/venue.entity';
import { Favorite } from './entities/favorite.entity';

/** Each method is one statement on the unit of work's open session, or on a connection of its own outside one. */
@Injectable()
export class FavoritesRepository {
  constructor(private readonly unitOfWork: UnitOfWork) {}

  /**
   * Adds the venue to the user's favorites unless it is there already. False when no active
   * venue has that id. One statement, so a concurrent PUT cannot turn into a duplicate-key error.
   */
  @GenerateSql({ name: 'an active venue', params: [7, 17], rows: [[{ venueFound: true }]] })
  async addFavorite(userId: number, venueId: number): Promise<boolean> {
    // Raw: INSERT … SELECT (the row goes in only if the venue is active), which the insert builder cannot emit: it takes VALUES only.
    const [{ venueFound }]: Array<{ venueFound: boolean }> = await this.unitOfWork.manager.query(
      `
      WITH venue AS (SELECT id FROM venues WHERE id = $2 AND is_active),
           added AS (INSERT INTO favorites (user_id, venue_id) SELECT $1, id FROM venue ON CONFLICT DO NOTHING)
      SELECT EXISTS (SELECT 1 FROM venue) AS "venueFound"`,
      [userId, venueId],
    );
    return venueFound;
  }

  /** Removes the favorite if present. False when no venue has that id (an inactive one still counts). */
  @GenerateSql({ name: 'any venue', params: [7, 17], rows: [[{ venueFound: true }]] })
  async removeFavorite(userId: number, venueId: number): Promise<boolean> {
    const manager = this.unitOfWork.manager;
    const removed = manager.createQueryBuilder().delete().from(Favorite).where({ userId, venueId });
    const statement = manager.createQueryBuilder();
    const venueExists = statement.subQuery().select('1').from(Venue, 'venue').where('venue.id = :venueId', { venueId });
    const row = await statement
      .addCommonTableExpression(removed, 'removed')
      .select(`EXISTS ${venueExists.getQuery()}`, 'venueFound')
      .fromDummy()
      .getRawOne<{ venueFound: boolean }>();
    return row!.venueFound;
  }
}
