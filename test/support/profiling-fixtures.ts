import { readFileSync } from 'node:fs';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { ProfilerService } from '../../src/profiling/profiler.service';
import { QueryBudget } from '../../src/common/query-budget.decorator';
import { City } from '../../src/reference/entities/city.entity';
import { Venue } from '../../src/venue-domain/entities/venue.entity';

class CountQuery {
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(1000)
  n = 5;
}

export const FIXTURES_FILE = 'test/support/profiling-fixtures.ts';

/** The line of this file carrying `// marker: <name>`, as call sites must name it. */
export function fixtureLine(marker: string): number {
  const index = readFileSync(__filename, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(`// marker: ${marker}`));
  if (index < 0) throw new Error(`no marker ${marker} in ${FIXTURES_FILE}`);
  return index + 1;
}

/** Keeps the CPU busy (Node work, no I/O) for at least `ms`. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/**
 * The anti-patterns the profiler's findings name, one method each so that each statement has a
 * call site and a caller of its own (the lines are looked up by the tests through the markers).
 */
class DeliberateAntiPatterns {
  constructor(private readonly dataSource: DataSource) {}

  /** Lazy loading in a loop: one statement per venue through TypeORM's RelationLoader. */
  async citiesOneByOne(venues: Venue[]): Promise<City[]> {
    const cities: City[] = [];
    for (const venue of venues) {
      cities.push((await this.dataSource.createQueryBuilder().relation(Venue, 'city').of(venue).loadOne<City>())!); // marker: lazy-city
    }
    return cities;
  }

  /** The look-up a handler repeats with the same value. (Async, so that its frame is in the async stack.) */
  async cityById(id: number): Promise<City | null> {
    return await this.dataSource.getRepository(City).findOneBy({ id }); // marker: duplicate-city
  }
}

/**
 * Deliberately bad and deliberately exact handlers for the profiler's own tests. Mounted only
 * by test/e2e/profiling.e2e-spec.ts; never part of the product. Raw: their `query()` statements
 * are fixtures of the profiler (exact texts, `pg_sleep`, EntityManager.query itself being
 * profiled), not reads of the product.
 */
@Controller('v1/_test')
class ProfilingFixturesController {
  private readonly antiPatterns: DeliberateAntiPatterns;

  constructor(
    private readonly dataSource: DataSource,
    private readonly profiler: ProfilerService,
    private readonly unitOfWork: UnitOfWork,
  ) {
    this.antiPatterns = new DeliberateAntiPatterns(dataSource);
  }

  @Get('lazy-relations')
  async lazyRelations(@Query() query: CountQuery) {
    const venues = await this.dataSource.getRepository(Venue).find({ order: { id: 'ASC' }, take: query.n });
    const cities = await this.antiPatterns.citiesOneByOne(venues); // marker: lazy-city-caller
    return { cities: cities.map((city) => city.id) };
  }

  @Get('venues-one-by-one')
  async venuesOneByOne(@Query() query: CountQuery) {
    const venues = await this.dataSource.getRepository(Venue).find({ select: { id: true }, order: { id: 'ASC' }, take: query.n });
    const names: string[] = [];
    for (const { id } of venues) {
      const rows: Array<{ name: string }> = await this.dataSource.query('SELECT name FROM venues WHERE id = $1', [id]);
      names.push(rows[0].name);
    }
    return { names };
  }

  @Get('duplicate-lookup')
  async duplicateLookup() {
    const first = await this.antiPatterns.cityById(1);
    const second = await this.antiPatterns.cityById(1);
    return { same: first?.id === second?.id };
  }

  @Get('allowed-repeats')
  async allowedRepeats(@Query() query: CountQuery) {
    return this.profiler.allowRepeated('polling: each run must see the latest state', async () => {
      const values: number[] = [];
      for (let run = 0; run < query.n; run += 1) values.push(Number((await this.dataSource.query('SELECT $1::int + 0 AS run', [run]))[0].run));
      return { values };
    });
  }

  /** One session, with Node work between its two statements. */
  @Get('idle-session')
  async idleSession(@Query() query: CountQuery) {
    return this.unitOfWork.inSession(async () => {
      await this.unitOfWork.manager.query('SELECT 1 AS before_work');
      busyFor(query.n);
      await this.unitOfWork.manager.query('SELECT 1 AS after_work');
      return { ok: true };
    });
  }

  @Get('write-statement')
  async writeStatement() {
    await this.dataSource.query('UPDATE cities SET name = name WHERE id = $1', [-1]);
    return { ok: true };
  }

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
      const rows: Array<{ name: string }> = await this.dataSource.query('SELECT $1::text AS name', [`venue-${id}`]); // marker: sequential
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
