/** One representative call of a repository method, whose statements go into its SQL snapshot. */
export interface SqlExample {
  /** What the call shows, e.g. 'city only, default sort'. */
  name: string;
  /** The method's arguments. */
  params: unknown[];
  /** The rows each statement of the call answers, in order (default: none), so that later statements run too. */
  rows?: unknown[][];
}

const examplesByPrototype = new WeakMap<object, Map<string, SqlExample[]>>();

/**
 * Declares the calls whose generated SQL is committed beside the repository
 * (`<name>.repository.sql`, written by `npm run sql:snapshots`), so a reviewer sees a query
 * change as a diff and a test fails when the SQL changes without its snapshot.
 */
export function GenerateSql(...examples: SqlExample[]): MethodDecorator {
  return (prototype, method) => {
    const methods = examplesByPrototype.get(prototype) ?? new Map<string, SqlExample[]>();
    methods.set(String(method), examples);
    examplesByPrototype.set(prototype, methods);
  };
}

/** The declared calls of a repository class, by method, in declaration order. */
export function sqlExamplesOf(repository: Function): ReadonlyMap<string, SqlExample[]> {
  return examplesByPrototype.get(repository.prototype) ?? new Map();
}
