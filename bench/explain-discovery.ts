import { Client } from 'pg';
import { SESSION_STARTUP_OPTIONS } from '../src/database/data-source-options';
import { UnitOfWork } from '../src/database/unit-of-work';
import { DiscoveryRepository, type VenueSearch } from '../src/discovery/discovery.repository';
import { ReferenceRepository } from '../src/reference/reference.repository';
import { createDetachedDataSource } from '../src/sql-snapshots/detached-data-source';
import { wireDetachedRepositories } from '../src/sql-snapshots/detached-repositories';
import { prepareBenchDatabase } from './bench-database';
import { DATASETS, type DatasetName } from './options';

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the page statement of each `--scaling` discovery mix, built by the
 * API's own DiscoveryRepository and run on a bench database after warm-up runs: the evidence
 * behind docs/discovery-sql.md's section on large cities (issue 13).
 *
 *   npm run bench:explain -- [demo|medium|large …]     (DATABASE_URL as for npm run bench)
 *
 * Sessions are bare `pg` clients started with the API's own session options (no parallel workers).
 */
const WARM_UP_RUNS = 3;
const GUESTS = 10;

function mixes(cityId: number, position: { lat: number; lng: number }, categoryIds: number[], addOnId: number, date: string): Array<[string, VenueSearch]> {
  const page = { limit: 20, offset: 0 };
  return [
    ['city, date, guests, page 3', { cityId, guests: GUESTS, sort: 'relevance', limit: 20, offset: 40 }],
    ['price sort, maxPrice', { cityId, guests: GUESTS, maxPrice: 100_000, sort: 'price_asc', ...page }],
    ['two categories, guests', { cityId, guests: GUESTS, categoryIds, sort: 'relevance', ...page }],
    ['add-on + instantBook', { cityId, guests: GUESTS, addOnIds: [addOnId], instantBook: true, sort: 'relevance', ...page }],
    ['onlyAvailable', { cityId, guests: GUESTS, availableOn: { date, holidayCityIds: [] }, sort: 'rating', ...page }],
    ['distance sort + radius', { cityId, guests: GUESTS, position, radiusKm: 5, sort: 'distance', ...page }],
  ];
}

async function explainDataset(dataset: DatasetName): Promise<void> {
  const database = await prepareBenchDatabase(dataset, (line) => console.error(line));
  const client = new Client({ connectionString: database.url, options: SESSION_STARTUP_OPTIONS });
  await client.connect();
  let explaining = false;
  let plan = '';
  try {
    const dataSource = await createDetachedDataSource(async () => ({
      send: async (sql, parameters) => {
        // Raw: sends the text the API's query builders made (and EXPLAINs it), on the session the harness controls.
        const rowsOf = async (text: string) => (await client.query(text, parameters)).rows;
        if (explaining && sql.startsWith('SELECT') && plan === '') {
          plan = (await rowsOf(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`)).map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
        }
        return rowsOf(sql);
      },
      release: async () => undefined,
    }));
    const repositories = await wireDetachedRepositories(dataSource, [ReferenceRepository, DiscoveryRepository]);
    const catalog = await repositories.get(ReferenceRepository).findCatalog();
    const city = catalog.cities[0];
    // The city's mean position (the distance mix's centre) and the first Wednesday 30 or more days
    // ahead (a fixed weekday, so runs on different days compare).
    const anchor = await dataSource
      .createQueryBuilder()
      .select('avg(venue.lat)::float8', 'lat')
      .addSelect('avg(venue.lng)::float8', 'lng')
      .addSelect(`to_char(current_date + 30 + (3 - extract(dow FROM current_date + 30)::int + 7) % 7, 'YYYY-MM-DD')`, 'date')
      .from('venues', 'venue')
      .where('venue.city_id = :cityId', { cityId: city.id })
      .getRawOne<{ lat: number | null; lng: number | null; date: string }>();
    if (anchor?.lat == null || anchor.lng == null) throw new Error(`city ${city.slug} has no venues to centre the distance mix on`);
    const position = { lat: anchor.lat, lng: anchor.lng };
    const searches = mixes(city.id, position, catalog.categories.slice(0, 2).map((category) => category.id), catalog.addOns[0].id, anchor.date);
    console.log(`### ${dataset}: ${database.location}, city ${city.slug} (${city.id}), ${anchor.date} (a Wednesday)\n`);
    for (const [name, search] of searches) {
      const discovery = repositories.get(DiscoveryRepository);
      const unitOfWork = repositories.get(UnitOfWork);
      for (let run = 0; run < WARM_UP_RUNS; run += 1) await unitOfWork.inSession(() => discovery.searchVenues(search));
      explaining = true;
      plan = '';
      const page = await unitOfWork.inSession(() => discovery.searchVenues(search));
      explaining = false;
      console.log(`#### ${name}: total ${page.total}${page.totalExact ? '' : ' (at least)'}\n\n\`\`\`\n${plan}\n\`\`\`\n`);
    }
  } finally {
    await client.end();
    await database.release();
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(DATASETS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown dataset ${unknown.join(', ')}; one of ${DATASETS.join(', ')}`);
  for (const dataset of (requested.length > 0 ? requested : ['medium', 'large']) as DatasetName[]) await explainDataset(dataset);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
