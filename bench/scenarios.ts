import type { BookableSlot, Fixtures } from './fixtures';
import type { HttpRequest, RequestTally } from './measure';
import type { ServerProcess } from './processes';
import type { RawApi } from './raw/raw-api';
import type { Impl } from './results-model';
import { SCENARIOS } from './targets';
import {
  bookingRequest,
  bookingSequence,
  cachedDiscovery,
  CEILING_PATH,
  detailPath,
  discoveryMisses,
  discoveryPath,
  distanceDiscoveries,
  getRequest,
  holidayDiscoveries,
  MISS_SHAPE_COUNT,
  type DiscoveryParams,
  type Sequence,
  venueRotation,
} from './workloads';

/** One implementation's part of a scenario: HTTP load against a server, or in-process raw SQL calls. */
export type ImplRun = { impl: Impl; server: ServerProcess; next: () => HttpRequest } | { impl: 'raw'; call: () => Promise<RequestTally> };

export interface Scenario {
  name: string;
  /** The X-Cache every API response must carry for the scenario to measure what it says. */
  apiCache?: 'HIT' | 'MISS';
  /** Requests sent to both the API and the legacy reference and compared before timing; none without a legacy run. */
  contractSamples: HttpRequest[];
  runs: ImplRun[];
}

export interface BenchUser {
  id: number;
  authorization: string;
}

export interface ScenarioContext {
  api: ServerProcess;
  legacy: ServerProcess;
  ceiling: ServerProcess;
  raw: RawApi;
  fixtures: Fixtures;
  bookableSlots: BookableSlot[];
  user: BenchUser;
  /** Makes this run's Idempotency-Keys unique. */
  runId: string;
  /** Requests compared per scenario (the miss scenario always compares one of each filter mix). */
  contractSamples: number;
}

function take<T>(sequence: Sequence<T>, count: number): T[] {
  return Array.from({ length: count }, sequence);
}

/**
 * A discovery scenario: the API and the legacy reference draw from one sequence (so no request
 * repeats a cache key), raw replays the same sequence from its start.
 */
function discoveryScenario(context: ScenarioContext, name: string, sequenceOf: (fixtures: Fixtures) => Sequence<DiscoveryParams>, samples: number): Scenario {
  const sequence = sequenceOf(context.fixtures);
  const rawSequence = sequenceOf(context.fixtures);
  const next = () => getRequest(discoveryPath(sequence()));
  return {
    name,
    apiCache: 'MISS',
    contractSamples: take(next, samples),
    runs: [
      { impl: 'api', server: context.api, next },
      { impl: 'legacy', server: context.legacy, next },
      { impl: 'raw', call: () => context.raw.discovery(rawSequence()) },
    ],
  };
}

/** Every scenario but the profiling on/off pair (which needs a second API process), in running order. */
export function buildScenarios(context: ScenarioContext): Scenario[] {
  const { fixtures, user } = context;
  const cached = getRequest(discoveryPath(cachedDiscovery(fixtures)));
  const auth = { authorization: user.authorization };
  const venues = venueRotation(fixtures);
  const rawVenues = venueRotation(fixtures);
  const slots = bookingSequence(context.bookableSlots);
  let bookingCount = 0;
  const idempotencyKey = () => `bench-${context.runId}-${++bookingCount}`;
  const detail = () => getRequest(detailPath(venues()), auth);

  return [
    {
      name: SCENARIOS.hit,
      apiCache: 'HIT',
      contractSamples: [cached],
      runs: [
        { impl: 'api', server: context.api, next: () => cached },
        { impl: 'legacy', server: context.legacy, next: () => cached },
      ],
    },
    { name: SCENARIOS.ceiling, contractSamples: [], runs: [{ impl: 'ceiling', server: context.ceiling, next: () => getRequest(CEILING_PATH) }] },
    discoveryScenario(context, SCENARIOS.miss, discoveryMisses, Math.max(MISS_SHAPE_COUNT, context.contractSamples)),
    discoveryScenario(context, 'discovery-holiday', holidayDiscoveries, context.contractSamples),
    discoveryScenario(context, 'discovery-distance', distanceDiscoveries, context.contractSamples),
    {
      name: SCENARIOS.detail,
      contractSamples: take(detail, context.contractSamples),
      runs: [
        { impl: 'api', server: context.api, next: detail },
        { impl: 'legacy', server: context.legacy, next: detail },
        { impl: 'raw', call: () => context.raw.detail(rawVenues(), user.id) },
      ],
    },
    {
      name: 'booking',
      contractSamples: [],
      runs: [
        {
          impl: 'api',
          server: context.api,
          next: () => bookingRequest(slots(), user.authorization, idempotencyKey()),
        },
        { impl: 'raw', call: () => context.raw.booking(slots(), user.id, idempotencyKey()) },
      ],
    },
  ];
}
