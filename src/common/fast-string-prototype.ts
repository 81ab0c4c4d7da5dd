/**
 * Gives String.prototype back the fast properties a dependency took from it. Declaring a class that
 * extends String (node-redis declares one for RESP3 verbatim strings, loaded with the client) turns
 * String.prototype into a dictionary in V8, and it stays one until an instance of such a class gets
 * a property of its own, which node-redis's never do unless Redis answers in RESP3. Meanwhile every
 * string method the app calls (`charCodeAt` in Express's URL parser, `startsWith`, `slice`) goes
 * through a generic property look-up instead of a constant the optimizing compiler folds in:
 * docs/benchmarks.md, "Fifteenth sitting", has the count. createApiApp calls it, after the app's modules
 * are loaded; calling it again (two apps in one process) leaves the prototype fast as well.
 */
export function restoreFastStringPrototype(): void {
  // A property added to an instance makes V8 optimize the instance's prototype chain, String.prototype included.
  new (class extends String {
    readonly restoresFastPrototype = true;
  })('');
}
