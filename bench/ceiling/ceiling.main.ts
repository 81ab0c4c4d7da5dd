/*
 * The framework ceiling: a bare Nest app (defaults, no profiling, no logging, no guards, no
 * database) with one JSON route answering the bytes of the API's cached discovery response.
 * The API's cache-hit path sends those same pre-serialized bytes, so the difference between the
 * two is everything the API adds per request. Bench only; never imported by src/.
 *
 * Env: PORT, BENCH_CEILING_PAYLOAD (a file holding the response body).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Controller, Get, Header, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CEILING_PATH } from '../workloads';

const payload = readFileSync(process.env.BENCH_CEILING_PAYLOAD ?? '', 'utf8');

@Controller()
class CeilingController {
  @Get(CEILING_PATH)
  @Header('Content-Type', 'application/json; charset=utf-8')
  payload(): string {
    return payload;
  }
}

@Module({ controllers: [CeilingController] })
class CeilingModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(CeilingModule, { logger: ['error'] });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
