import type { RelationMetadata } from 'typeorm/metadata/RelationMetadata';
import { RelationLoader } from 'typeorm/query-builder/RelationLoader';
import { extendRequestContext, type RelationLoadContext } from '../request-context/request-context';

let installed = false;

/**
 * Names the relation TypeORM is loading on every statement the load sends: RelationLoader is
 * what lazy relations and `createQueryBuilder().relation(Entity, 'property').of(…).loadMany()`
 * go through, one statement per owner when called in a loop. Installed once per process; a
 * load outside a request runs unchanged.
 */
export function nameRelationLoads(): void {
  if (installed) return;
  installed = true;
  const load = RelationLoader.prototype.load;
  RelationLoader.prototype.load = function (this: RelationLoader, relation: RelationMetadata, ...rest: unknown[]) {
    return extendRequestContext({ relationLoad: describe(relation) }, () => (load as (...a: unknown[]) => unknown).call(this, relation, ...rest)) as never;
  } as typeof load;
}

/** The relation, and the table and column a batched load of it filters on with `= ANY($1)`. */
function describe(relation: RelationMetadata): RelationLoadContext {
  const named = { entity: relation.entityMetadata.name, property: relation.propertyName, target: relation.inverseEntityMetadata.name };
  if (relation.isManyToOne || relation.isOneToOneOwner) {
    const referenced = relation.joinColumns[0]?.referencedColumn;
    return { ...named, table: relation.inverseEntityMetadata.tableName, column: referenced?.databaseName ?? 'id' };
  }
  if (relation.isOneToMany || relation.isOneToOneNotOwner) {
    const joinColumn = relation.inverseRelation?.joinColumns[0];
    return { ...named, table: relation.inverseEntityMetadata.tableName, column: joinColumn?.databaseName ?? 'id' };
  }
  const junction = relation.junctionEntityMetadata;
  const ownerColumn = relation.isManyToManyOwner ? junction?.ownerColumns[0] : junction?.inverseColumns[0];
  return { ...named, table: junction?.tableName ?? relation.inverseEntityMetadata.tableName, column: ownerColumn?.databaseName ?? 'id' };
}
