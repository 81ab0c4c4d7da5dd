import { Injectable } from '@nestjs/common';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
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
    const manager = this.unitOfWork.manager;
    const activeVenue = <T extends ObjectLiteral>(query: SelectQueryBuilder<T>) => query.from(Venue, 'venue').where('venue.id = :venueId AND venue.isActive', { venueId });
    const added = manager
      .createQueryBuilder()
      .insert()
      .into(Favorite, ['userId', 'venueId'])
      // One selection: INSERT … SELECT is positional, and the builder would list an entity's column before an expression.
      .valuesFromSelect((select) => activeVenue(select.select(':userId, venue.id').setParameter('userId', userId)))
      .orIgnore();
    const statement = manager.createQueryBuilder();
    const row = await statement
      .addCommonTableExpression(added, 'added')
      .select(`EXISTS ${activeVenue(statement.subQuery().select('1')).getQuery()}`, 'venueFound')
      .fromDummy()
      .getRawOne<{ venueFound: boolean }>();
    return row!.venueFound;
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
