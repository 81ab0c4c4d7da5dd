import { Controller, Get, Module, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { ProfilerService } from '../../src/profiling/profiler.service';
import { QueryBudget } from '../../src/common/query-budget.decorator';

class CountQuery {
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(1000)
  n = 5;
}

/**
 * Deliberately bad and deliberately exact handlers for the profiler's own tests. Mounted only
 * by test/e2e/profiling.e2e-spec.ts; never part of the product.
 */
@Controller('v1/_test')
class ProfilingFixturesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiler: ProfilerService,
  ) {}

  @Get('two-statements')
  async twoStatements() {
    const runner = this.dataSource.createQueryRunner();
    try {
      const [cities] = await runner.query('SELECT count(*)::int AS n FROM cities');
      const [venues] = await runner.query('SELECT count(*)::int AS n FROM venues');
      return { cities: cities.n, venues: venues.n };
    } finally {
      await runner.release();
    }
  }

  @Get('transaction')
  async transaction() {
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT 1 AS first');
      await manager.query('SELECT 2 AS second');
    });
    return { ok: true };
  }

  @Get('distinct-statements')
  async distinctStatements(@Query() query: CountQuery) {
    const runner = this.dataSource.createQueryRunner();
    try {
      for (let i = 1; i <= query.n; i += 1) await runner.query(`SELECT 1 AS column_${'x'.repeat(i)}`);
      return { ran: query.n };
    } finally {
      await runner.release();
    }
  }

  @Get('n-plus-one/sequential')
  async sequentialNPlusOne(@Query() query: CountQuery) {
    const names: string[] = [];
    for (let id = 1; id <= query.n; id += 1) {
      const rows: Array<{ name: string }> = await this.dataSource.query('SELECT $1::text AS name', [`venue-${id}`]);
      names.push(rows[0].name);
    }
    return { names };
  }

  @Get('n-plus-one/parallel')
  async parallelNPlusOne(@Query() query: CountQuery) {
    const ids = Array.from({ length: query.n }, (_, index) => index + 1);
    const rows = await Promise.all(ids.map((id) => this.dataSource.query('SELECT $1::int AS id, pg_sleep(0.01)', [id])));
    return { ids: rows.map((row) => row[0].id) };
  }

  @Get('budget/within')
  @QueryBudget(3)
  async withinBudget() {
    return this.twoStatements();
  }

  @Get('budget/blown')
  @QueryBudget(1)
  async blownBudget() {
    return this.twoStatements();
  }

  @Get('budget/tightened')
  @QueryBudget(4)
  async tightenedBudget() {
    this.profiler.limitBudget(1, 'holiday path');
    return this.twoStatements();
  }

  @Get('stages')
  async stages(@Query() query: CountQuery) {
    for (let i = 0; i < query.n; i += 1) {
      await this.profiler.stage(`step-${i % 3}`, () => this.dataSource.query(`SELECT 1 AS step_${i % 3}`));
    }
    this.profiler.markCache('miss');
    return { ok: true };
  }

  @Get('hold-connection')
  async holdConnection() {
    await this.dataSource.query('SELECT pg_sleep(0.05)');
    return { ok: true };
  }

  /** A slow look-up by a bind value, as a slow login would be: its logged plan must not carry the value. */
  @Get('slow-lookup')
  async slowLookup(@Query('email') email: string) {
    await this.dataSource.query('SELECT pg_sleep(0.05), (SELECT count(*) FROM users WHERE email = $1) AS found', [email]);
    return { ok: true };
  }
}

@Module({ controllers: [ProfilingFixturesController] })
export class ProfilingFixturesModule {}
