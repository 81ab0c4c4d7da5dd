import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { matchedRoute } from 'router/lib/symbols';

// Express gives every request and response its app's prototype (Object.setPrototypeOf), and V8
// then makes each property added to that object afterwards a transition it does not cache:
// ~1.4 µs per property on Node 20 against ~0.03 µs for an ordinary object (docs/benchmarks.md).
// Express, its router, the body parser, the first event listener and this API add 17 of them to
// every request. Declared here, at construction, they are in place before the prototype changes,
// and every later write is a plain store. One missed key is enough to undo it: router 2.3 began
// setting a symbol-keyed property, and the cached discovery route went from 455k to 585k machine
// instructions per request (callgrind, docs/benchmarks.md), every property access on the request
// object then missing V8's inline caches.

/** Nest's mark on a request its pipes rejected (a 400): a registered symbol, so readable without importing Nest's internals. */
const REJECTED_BY_PIPES: unique symbol = Symbol.for('nestjs:rejected-by-pipes');

/** EventEmitter's count of event names with listeners: inherited (0) until the first listener. */
type ListenerCount = { _eventsCount: number };

/** A request with the properties Express, the router, body-parser and this API set on it. */
export class ApiRequest extends IncomingMessage {
  /** Kept at the value Node left, made own before the prototype changes (the first listener would add it). */
  _eventsCount = (this as unknown as ListenerCount)._eventsCount;
  next: unknown = undefined;
  baseUrl: unknown = undefined;
  originalUrl: unknown = undefined;
  _parsedUrl: unknown = undefined;
  params: unknown = undefined;
  route: unknown = undefined;
  body: unknown = undefined;
  /** X-Request-Id (request-context/request-id.ts). */
  id: unknown = undefined;
  /** The request's profile (profiling/request-profiler.ts), when profiling is on. */
  profile: unknown = undefined;
  /** The signed-in user (auth/authenticated-user.ts). */
  user: unknown = undefined;
  /** The route pattern the router matched (router's own tracing state). */
  [matchedRoute]: unknown = undefined;
  [REJECTED_BY_PIPES]: unknown = undefined;
}

/** A response with the properties Express sets on it; Node keeps statusCode and statusMessage on its prototype until set. */
export class ApiResponse extends ServerResponse<ApiRequest> {
  locals: unknown = undefined;
  override statusCode = 200;
  /** Empty reads as unset: writeHead fills in the reason phrase of the status code. */
  override statusMessage = '';
}

/**
 * Nest's Express adapter with a server that makes ApiRequest and ApiResponse. The options this
 * API never sets (TLS ends at the load balancer) keep Nest's own server.
 */
export class ApiExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions || options?.return503OnClosing || options?.forceCloseConnections) return super.initHttpServer(options);
    const server = createServer({ IncomingMessage: ApiRequest, ServerResponse: ApiResponse }, this.getInstance());
    // Typed for Node's own message classes, which ApiRequest and ApiResponse extend.
    this.setHttpServer(server as unknown as Server);
  }
}
