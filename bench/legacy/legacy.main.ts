/*
 * The LEGACY REFERENCE's own small Nest app (bench only, never imported by src/): the legacy
 * discovery and detail handlers on the API's paths, so the bench drives both the same way. The
 * handlers are deliberately slow (see legacy-discovery.ts and legacy-detail.ts); this file only
 * serves them and reports each request's statements and sessions in the headers the API's
 * profiler uses (X-Query-Count, X-DB-Sessions).
 *
 * Env: PORT, DATABASE_URL, JWT_SECRET and JWT_ISSUER (the API's, to accept its tokens).
 */
import 'reflect-metadata';
import {
  CallHandler,
  Controller,
  DynamicModule,
  ExecutionContext,
  Get,
  Headers,
  Injectable,
  Module,
  NestInterceptor,
  Param,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ServerResponse } from 'node:http';
import { map, Observable } from 'rxjs';
import { LegacyDetail } from './legacy-detail';
import { LegacyDiscovery, LegacyQuery } from './legacy-discovery';
import { currentTally, LegacyDatabase, withTally } from './legacy-database';

@Injectable()
class TallyHeaders implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tally = currentTally();
    const response = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      map((body) => {
        if (tally) {
          response.setHeader('X-Query-Count', String(tally.statements));
          response.setHeader('X-DB-Sessions', String(tally.sessions));
        }
        return body;
      }),
    );
  }
}

@Controller('v1')
@UseInterceptors(TallyHeaders)
class LegacyController {
  constructor(
    private readonly discovery: LegacyDiscovery,
    private readonly venues: LegacyDetail,
  ) {}

  @Get('discovery/venues')
  search(@Query() query: LegacyQuery) {
    return this.discovery.search(query);
  }

  @Get('venues/:idOrSlug')
  detail(@Param('idOrSlug') idOrSlug: string, @Query() query: LegacyQuery, @Headers('authorization') authorization: string | undefined) {
    return this.venues.detail(idOrSlug, query, authorization);
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

@Module({})
class LegacyModule {
  static forDatabase(db: LegacyDatabase): DynamicModule {
    return {
      module: LegacyModule,
      controllers: [LegacyController],
      providers: [
        { provide: LegacyDiscovery, useValue: new LegacyDiscovery(db) },
        { provide: LegacyDetail, useValue: new LegacyDetail(db, new JwtService({ secret: requiredEnv('JWT_SECRET') }), requiredEnv('JWT_ISSUER')) },
      ],
    };
  }
}

async function bootstrap(): Promise<void> {
  const db = new LegacyDatabase(requiredEnv('DATABASE_URL'));
  const app = await NestFactory.create<NestExpressApplication>(LegacyModule.forDatabase(db), { logger: ['error', 'warn'] });
  app.use((_request: unknown, _response: unknown, next: () => void) => withTally(next));
  await app.listen(Number(requiredEnv('PORT')), '127.0.0.1');
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
