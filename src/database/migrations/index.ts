import { InitialSchema1764226800000 } from './1764226800000-initial-schema';
import { ReferenceChangeNotifications1764230400000 } from './1764230400000-reference-change-notifications';
import { IdempotencyKeys1795761600000 } from './1795761600000-idempotency-keys';
import { DiscoveryIndexes1795761700000 } from './1795761700000-discovery-indexes';
import { CoveringSortIndexes1795761800000 } from './1795761800000-covering-sort-indexes';

/** Every migration, oldest first. Listed explicitly so the compiled app and the tests load the same set. */
export const migrations = [InitialSchema1764226800000, ReferenceChangeNotifications1764230400000, IdempotencyKeys1795761600000, DiscoveryIndexes1795761700000, CoveringSortIndexes1795761800000];
