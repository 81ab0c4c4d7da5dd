import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, Type, UseInterceptors } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiOkResponse } from '@nestjs/swagger';
import { Observable, tap } from 'rxjs';

/** Reference data changes only with a deploy or a seed, so browsers and shared caches may keep it five minutes. */
const REFERENCE_CACHE_CONTROL = 'public, max-age=300';

/**
 * Sets the header once the handler has succeeded. Nest's @Header() is applied before validation
 * and the handler run, so it would also mark 400s, 404s and 500s as publicly cacheable.
 */
@Injectable()
class ReferenceCacheControlInterceptor implements NestInterceptor {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse();
    return next
      .handle()
      .pipe(tap(() => this.adapterHost.httpAdapter.setHeader(response, 'Cache-Control', REFERENCE_CACHE_CONTROL)));
  }
}

/** A 200 with `body` that shared caches may keep: the caching behaviour and its documentation in one place. */
export function CachedReferenceResponse(body: Type<unknown>): MethodDecorator {
  return applyDecorators(
    UseInterceptors(ReferenceCacheControlInterceptor),
    ApiOkResponse({
      type: body,
      headers: { 'Cache-Control': { description: 'Reference data is publicly cacheable', schema: { type: 'string', example: REFERENCE_CACHE_CONTROL } } },
    }),
  );
}
