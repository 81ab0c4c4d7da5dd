/** The part of autocannon 9's programmatic API the bench uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
    }

    interface RequestSpec extends Request {
      /** Called before every request; its return value is sent. */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
      /** Raw header names as the server sent them. */
      onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Requests to send in all (spread over the connections); the duration is then ignored. */
      amount?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      requests?: RequestSpec[];
    }

    interface Result {
      errors: number;
      timeouts: number;
      non2xx: number;
    }

    /** Emits `response` (client, statusCode, resBytes, responseTimeMs) for every response. */
    interface Instance extends EventEmitter, PromiseLike<Result> {}
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
