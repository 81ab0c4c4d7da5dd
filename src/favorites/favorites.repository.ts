import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { GenerateSql } from '../common/generate-sql.decorator';
import { ReusableStatement } from '../database/reusable-statement';
import { UnitOfWork } from '../database/unit-of-work';
import { Venue } from '../venue-domain/entities/venue.entity';
import { Favorite } from './entities/favorite.entity';

/**
 * Adds (:userId, :venueId) unless it is there already, and says whether an active venue has that
 * id: the insert's SELECT finds nothing to add for an inactive or unknown venue.
 */
function addFavoriteStatement(manager: EntityManager): SelectQueryBuilder<ObjectLiteral> {
  const activeVenue = <T extends ObjectLiteral>(query: SelectQueryBuilder<T>) => query.from(Venue, 'venue').where('venue.id = :venueId AND venue.isActive');
  const added = manager
    .createQueryBuilder()
    .insert()
    .into(Favorite, ['userId', 'venueId'])
    // One selection: INSERT … SELECT is positional, and the builder would list an entity's column before an expression.
    .valuesFromSelect((select) => activeVenue(select.select(':userId, venue.id')))
    .orIgnore();
  const statement = manager.createQueryBuilder();
  return statement
    .addCommonTableExpression(added, 'added')
    .select(`EXISTS ${activeVenue(statement.subQuery().select('1')).getQuery()}`, 'venueFound')
    .fromDummy();
}

/** Each method is one statement on the unit of work's open session, or on a connection of its own outside one. */
@Injectable()
export class FavoritesRepository {
  private readonly addition: ReusableStatement;

  constructor(private readonly unitOfWork: UnitOfWork) {
    this.addition = new ReusableStatement(unitOfWork, () => addFavoriteStatement(unitOfWork.manager));
  }

  /**
   * Adds the venue to the user's favorites unless it is there already. False when no active
   * venue has that id. One statement, so a concurrent PUT cannot turn into a duplicate-key error.
   */
  @GenerateSql({ name: 'an active venue', params: [7, 17], rows: [[{ venueFound: true }]] })
  async addFavorite(userId: number, venueId: number): Promise<boolean> {
    const row = await this.addition.first<{ venueFound: boolean }>({ userId, venueId });
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
