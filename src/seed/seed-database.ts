import { performance } from 'node:perf_hooks';
import type { DataSource, QueryRunner } from 'typeorm';
import { Venue } from '../venue-domain/entities/venue.entity';
import { dropKeysAndIndexes } from './bulk-load';
import { dayNumberOf } from './calendar';
import { bookingsOf, bookingsTable } from './generators/bookings';
import { favoritesOf, favoritesTable } from './generators/favorites';
import {
  addOnsTable,
  appConfigRows,
  appConfigTable,
  catalogRows,
  categoriesTable,
  cityRows,
  citiesTable,
  holidaysByCityId,
  publicHolidaysTable,
  seededAddOns,
  seededCategories,
  seededCities,
  HolidayRow,
  seededHolidays,
} from './generators/reference-data';
import { reviewsOf, reviewsTable } from './generators/reviews';
import { SeedContext, VenuePlan, bookingWindowAfter } from './generators/seed-context';
import { SeedPasswords, UserRow, hashSeedPasswords, seedUsers, usersTable } from './generators/users';
import {
  addOnsOf,
  blackoutsOf,
  photosOf,
  priceOverrideRowsOf,
  slotsOf,
  venueAddOnsTable,
  venueBlackoutsTable,
  venuePhotosTable,
  venuePriceOverridesTable,
  venueSlotsTable,
} from './generators/venue-details';
import { planVenues, venueRows, venuesTable } from './generators/venues';
import { SeedProgress, TableSummary, silentProgress } from './progress-reporter';
import type { Scale } from './scales';
import { RowGroups, TableWriter } from './table-writer';

export interface SeedOptions {
  scale: Scale;
  /** Create the SPEC §3 demo logins. Callers pass false in production. */
  demoLogins: boolean;
  /** Start-up seeding: leave a database that already has venues alone instead of replacing it. */
  onlyIfEmpty?: boolean;
  progress?: SeedProgress;
  /** The day the date window counts from (tests pin it); defaults to today, UTC. */
  today?: Date;
}

export interface SeedResult {
  seeded: boolean;
  tables: TableSummary[];
  ms: number;
}

/** Every table the seed fills; all are emptied first so a run always yields the same rows. */
const SEEDED_TABLES = [
  citiesTable,
  categoriesTable,
  addOnsTable,
  usersTable,
  venuesTable,
  venuePhotosTable,
  venueAddOnsTable,
  venueSlotsTable,
  venueBlackoutsTable,
  venuePriceOverridesTable,
  publicHolidaysTable,
  bookingsTable,
  reviewsTable,
  favoritesTable,
  appConfigTable,
];
const SEEDED_TABLE_NAMES = SEEDED_TABLES.map((table) => table.name);

/** Serializes seeders: API replicas starting together on an empty database seed it once. */
const SEED_LOCK_KEY = 0x5eed_0001;

/**
 * Replaces the data with the given scale's dataset in one transaction: the same scale gives the
 * same rows on every run, except that dates count from the day it runs (bookings, blackouts and
 * price overrides over the next 60 days, holidays for this year and next, timestamps in the past)
 * and password hashes carry random salts. VACUUM (ANALYZE) runs afterwards, outside the transaction.
 */
export async function seedDatabase(dataSource: DataSource, options: SeedOptions): Promise<SeedResult> {
  const startedAt = performance.now();
  const passwords = await hashSeedPasswords(options.demoLogins);
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    // A lock, not a read: concurrent seeds (two replicas starting on an empty database) take turns.
    await runner.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    if (options.onlyIfEmpty && (await hasVenues(runner))) {
      await runner.rollbackTransaction();
      return { seeded: false, tables: [], ms: 0 };
    }
    // TRUNCATE … RESTART IDENTITY has no builder: a delete would keep the sequences and take far longer.
    await runner.query(`TRUNCATE ${SEEDED_TABLE_NAMES.join(', ')} RESTART IDENTITY CASCADE`);
    const progress = options.progress ?? silentProgress;
    const restoreKeysAndIndexes = await dropKeysAndIndexes(runner, SEEDED_TABLE_NAMES);
    const tables = await writeDataset(new TableWriter(runner, progress), planDataset(options, passwords));
    await progress.phase('keys, indexes and foreign keys', restoreKeysAndIndexes);
    await advanceSequencesPastExplicitIds(runner);
    await runner.commitTransaction();
    // Maintenance, not a query: plans must see the new table sizes, and a freshly loaded table has
    // no visibility map (index-only scans visit the heap for every row) until it is vacuumed, which
    // autovacuum may never do (it is off on some servers): large's discovery misses took 1.4-3.2x
    // as long before a VACUUM (docs/benchmarks.md, Scaling).
    await progress.phase('vacuum and analyze', () => runner.query(`VACUUM (ANALYZE) ${SEEDED_TABLE_NAMES.join(', ')}`));
    return { seeded: true, tables, ms: Math.round(performance.now() - startedAt) };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw error;
  } finally {
    await runner.release();
  }
}

interface Dataset {
  context: SeedContext;
  holidays: HolidayRow[];
  users: UserRow[];
  venues: VenuePlan[];
}

/** The small tables in full and a plan per venue; the big tables are generated while written. */
function planDataset(options: SeedOptions, passwords: SeedPasswords): Dataset {
  const today = dayNumberOf(options.today ?? new Date());
  const cities = seededCities(options.scale);
  const holidays = seededHolidays(cities, today);
  const users = seedUsers(options.scale, today, passwords);
  const context: SeedContext = {
    scale: options.scale,
    today,
    cities,
    categories: seededCategories(),
    addOns: seededAddOns(),
    hostIdsByCity: users.hostIdsByCity,
    guestIds: users.guestIds,
    holidaysByCityId: holidaysByCityId(cities, holidays),
    bookingWindow: bookingWindowAfter(today),
  };
  return { context, holidays, users: users.rows, venues: planVenues(context) };
}

/** Parents before children, so every foreign key points at a row already written. */
async function writeDataset(writer: TableWriter, { context, holidays, users, venues }: Dataset): Promise<TableSummary[]> {
  const perVenue = <Row>(rowsOf: (venue: VenuePlan, context: SeedContext) => readonly Row[]): RowGroups<Row> => ({
    count: venues.length,
    groups: mapLazily(venues, (venue) => rowsOf(venue, context)),
  });
  return [
    await writer.write(citiesTable, eachRow(cityRows(context.cities))),
    await writer.write(categoriesTable, eachRow(catalogRows(context.categories))),
    await writer.write(addOnsTable, eachRow(catalogRows(context.addOns))),
    await writer.write(publicHolidaysTable, eachRow(holidays)),
    await writer.write(appConfigTable, eachRow(appConfigRows(context.today))),
    await writer.write(usersTable, eachRow(users)),
    await writer.write(venuesTable, { count: venues.length, groups: venueRows(venues, context) }),
    await writer.write(venuePhotosTable, perVenue(photosOf)),
    await writer.write(venueAddOnsTable, perVenue(addOnsOf)),
    await writer.write(venueSlotsTable, perVenue(slotsOf)),
    await writer.write(venueBlackoutsTable, perVenue(blackoutsOf)),
    await writer.write(venuePriceOverridesTable, perVenue(priceOverrideRowsOf)),
    await writer.write(bookingsTable, perVenue(bookingsOf)),
    await writer.write(reviewsTable, perVenue(reviewsOf)),
    await writer.write(favoritesTable, {
      count: context.guestIds.length,
      groups: mapLazily(context.guestIds, (userId) => favoritesOf(userId, context)),
    }),
  ];
}

async function hasVenues(runner: QueryRunner): Promise<boolean> {
  return runner.manager.getRepository(Venue).createQueryBuilder('venue').getExists();
}

/** Ids the seed wrote itself leave the serial sequences behind; the API's inserts need them ahead. */
async function advanceSequencesPastExplicitIds(runner: QueryRunner): Promise<void> {
  for (const table of SEEDED_TABLES.filter((definition) => 'id' in definition.columns)) {
    // A sequence function over the table's own ids; no entity describes a sequence.
    await runner.query(
      `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) FROM ${table.name}`,
      [table.name],
    );
  }
}

function eachRow<Row>(rows: readonly Row[]): RowGroups<Row> {
  return { count: rows.length, groups: mapLazily(rows, (row) => [row]) };
}

function* mapLazily<Item, Result>(items: Iterable<Item>, transform: (item: Item) => Result): Iterable<Result> {
  for (const item of items) yield transform(item);
}
