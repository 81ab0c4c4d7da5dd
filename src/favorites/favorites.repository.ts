import { Injectable } from '@nestjs/common';
import { GenerateSql } from '../common/generate-sql.decorator';
import { UnitOfWork } from '../database/unit-of-work';

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
    // Raw: an INSERT … SELECT … ON CONFLICT inside a CTE, answered by a FROM-less SELECT, which the builders cannot emit.
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
    // Raw: a DELETE inside a CTE, answered by a FROM-less SELECT, which the select builder cannot emit.
    const [{ venueFound }]: Array<{ venueFound: boolean }> = await this.unitOfWork.manager.query(
      `
      WITH removed AS (DELETE FROM favorites WHERE user_id = $1 AND venue_id = $2)
      SELECT EXISTS (SELECT 1 FROM venues WHERE id = $2) AS "venueFound"`,
      [userId, venueId],
    );
    return venueFound;
  }
}
