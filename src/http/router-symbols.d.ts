// The router Express 5 uses (a dependency of this API at the same version, so both resolve to one copy)
// ships no types for its internal symbols module.
declare module 'router/lib/symbols' {
  /** The route pattern a request matched, set on every request by router ≥ 2.3 for its tracing channel. */
  export const matchedRoute: unique symbol;
}
