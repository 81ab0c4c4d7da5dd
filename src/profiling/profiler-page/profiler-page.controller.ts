import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyDecorators, Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

type PageAsset = 'index.html' | 'profiler.js' | 'profiler.css' | 'favicon.svg';

/**
 * The page's files sit beside this controller: in src/ under Jest, and in dist/ where
 * `npm run build` copies them (tsc emits only the .ts). Read on first use, so a process built
 * without the copy still starts and fails only here, naming the missing file.
 */
const assetCache = new Map<PageAsset, string>();
function readAsset(name: PageAsset): string {
  let text = assetCache.get(name);
  if (text === undefined) {
    text = readFileSync(join(__dirname, name), 'utf8');
    assetCache.set(name, text);
  }
  return text;
}

/** The page holds no data, so it is open; a strict policy means only these same-origin files ever run. */
function ServedAsset(contentType: string) {
  return applyDecorators(
    Header('Content-Type', contentType),
    Header('Cache-Control', 'no-store'),
    Header('Content-Security-Policy', "default-src 'self'"),
  );
}

/**
 * The profiler UI: static files that ask for the profiler token and read the guarded JSON
 * endpoints under /v1/_profiler.
 */
@ApiExcludeController()
@Controller('_profiler')
export class ProfilerPageController {
  @Get()
  @ServedAsset('text/html; charset=utf-8')
  page(): string {
    return readAsset('index.html');
  }

  @Get('profiler.js')
  @ServedAsset('text/javascript; charset=utf-8')
  script(): string {
    return readAsset('profiler.js');
  }

  @Get('profiler.css')
  @ServedAsset('text/css; charset=utf-8')
  styles(): string {
    return readAsset('profiler.css');
  }

  /** Without it the browser asks for /favicon.ico, and that 404 would sit in the list of profiles. */
  @Get('favicon.svg')
  @ServedAsset('image/svg+xml')
  icon(): string {
    return readAsset('favicon.svg');
  }
}
