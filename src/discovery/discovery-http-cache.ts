import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiHeader, ApiOkResponse, ApiResponse } from '@nestjs/swagger';
import { map, Observable } from 'rxjs';
import { DiscoveryResponseDto } from './dto/discovery-response.dto';
import type { DiscoveryResult } from './discovery.service';

/**
 * Sends a discovery result with its HTTP caching headers, once the handler has succeeded (errors
 * stay uncacheable). The body goes out as the cached bytes, never re-serialized. With the ETag
 * set, the HTTP adapter answers a matching If-None-Match with a bodiless 304 (Express: req.fresh
 * in res.send), the standard conditional GET, so no code here compares validators.
 */
@Injectable()
class DiscoveryHttpCacheInterceptor implements NestInterceptor {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler<DiscoveryResult>): Observable<string> {
    const response = context.switchToHttp().getResponse();
    const adapter = this.adapterHost.httpAdapter;
    return next.handle().pipe(
      map((result) => {
        adapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
        adapter.setHeader(response, 'Cache-Control', `public, max-age=${result.maxAgeSeconds}`);
        adapter.setHeader(response, 'ETag', result.etag);
        adapter.setHeader(response, 'X-Cache', result.cache);
        return result.body;
      }),
    );
  }
}

const header = (description: string, example: string) => ({ description, schema: { type: 'string', example } });
const CACHE_HEADERS = {
  'Cache-Control': header('Shared caches may keep the response for the response cache TTL', 'public, max-age=60'),
  ETag: header('Strong validator of the body; send it back in If-None-Match', '"3q2-7w…"'),
  'X-Cache': header('HIT: served from the response cache, no SQL ran; MISS: computed for this request', 'MISS'),
};

/** The caching behaviour of the discovery route and its documentation, in one place. */
export function DiscoveryHttpCache(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(DiscoveryHttpCacheInterceptor),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag from an earlier response: 304 when it is still current' }),
    ApiOkResponse({ type: DiscoveryResponseDto, headers: CACHE_HEADERS }),
    ApiResponse({ status: 304, description: 'Not Modified: the If-None-Match ETag is current', headers: CACHE_HEADERS }),
  );
}
