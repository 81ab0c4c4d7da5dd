import { InitialSchema1764226800000 } from './1764226800000-initial-schema';
import { ReferenceChangeNotifications1764230400000 } from './1764230400000-reference-change-notifications';

/** Every migration, oldest first. Listed explicitly so the compiled app and the tests load the same set. */
export const migrations = [InitialSchema1764226800000, ReferenceChangeNotifications1764230400000];
