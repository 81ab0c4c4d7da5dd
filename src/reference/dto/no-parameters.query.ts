/**
 * The query DTO of routes that take no parameters. Empty on purpose: the global pipe's whitelist
 * turns every parameter sent to such a route into a 400 naming it (see validation.ts for why
 * forbidUnknownValues is off there: with it on, class-validator would reject this class outright).
 */
export class NoParametersQuery {}
