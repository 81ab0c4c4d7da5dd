import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class FavoritesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Adds the venue to the user's favorites unless it is there already. False when no active
   * venue has that id. One statement, so a concurrent PUT cannot turn into a duplicate-key error.
   */
  async addFavorite(userId: number, venueId: number): Promise<boolean> {
    const [{ venueFound }]: Array<{ venueFound: boolean }> = await this.dataSource.query(
      `
      WITH venue AS (SELECT id FROM venues WHERE id = $2 AND is_active),
           added AS (INSERT INTO favorites (user_id, venue_id) SELECT $1, id FROM venue ON CONFLICT DO NOTHING)
      SELECT EXISTS (SELECT 1 FROM venue) AS "venueFound"`,
      [userId, venueId],
    );
    return venueFound;
  }

  /** Removes the favorite if present. False when no venue has that id (an inactive one still counts). */
  async removeFavorite(userId: number, venueId: number): Promise<boolean> {
    const [{ venueFound }]: Array<{ venueFound: boolean }> = await this.dataSource.query(
      `
      WITH removed AS (DELETE FROM favorites WHERE user_id = $1 AND venue_id = $2)
      SELECT EXISTS (SELECT 1 FROM venues WHERE id = $2) AS "venueFound"`,
      [userId, venueId],
    );
    return venueFound;
  }
}
