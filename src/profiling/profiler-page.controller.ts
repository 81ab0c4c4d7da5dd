import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PROFILER_PAGE_HTML } from './profiler-page.html';

/**
 * The profiler UI: a static, self-contained page holding no data. It asks for the profiler token
 * and reads the guarded JSON endpoints, so the page itself can be served openly.
 */
@ApiExcludeController()
@Controller('_profiler')
export class ProfilerPageController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Security-Policy', "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'")
  page(): string {
    return PROFILER_PAGE_HTML;
  }
}
