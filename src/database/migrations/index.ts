import { InitialSchema1764226800000 } from './1764226800000-initial-schema';

/** Every migration, oldest first. Listed explicitly so the compiled app and the tests load the same set. */
export const migrations = [InitialSchema1764226800000];
