import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BookableSlot, Fixtures } from './fixtures';
import { type HttpRequest, measureHttp, measureServer } from './measure';
import type { ServerProcess } from './processes';
import { RESULTS_DIR } from './report';
import {
  bookingRequest,
  bookingSequence,
  cachedDiscovery,
  detailPath,
  discoveryMisses,
  discoveryPath,
  distanceDiscoveries,
  getRequest,
  holidayDiscoveries,
  venueRotation,
} from './workloads';

/** One scenario's requests; both builds draw from the same sequence, so no discovery request repeats. */
interface ComparedScenario {
  name: string;
  next: () => HttpRequest;
}

interface Round {
  p50Ms: number | null;
  rps: number;
  cpuMsPerRequest: number | null;
  errors: number;
}

export interface BuildComparison {
  scenario: string;
  /** This checkout, then the one named by --against. */
  builds: Array<{ label: string; rounds: Round[] }>;
}

export function comparedScenarios(fixtures: Fixtures, slots: BookableSlot[], authorization: string, runId: string): ComparedScenario[] {
  const cached = getRequest(discoveryPath(cachedDiscovery(fixtures)));
  const auth = { authorization };
  const sequences = { miss: discoveryMisses(fixtures), holiday: holidayDiscoveries(fixtures), distance: distanceDiscoveries(fixtures), venues: venueRotation(fixtures) };
  const nextSlot = bookingSequence(slots);
  let bookings = 0;
  return [
    { name: 'discovery-miss', next: () => getRequest(discoveryPath(sequences.miss())) },
    { name: 'discovery-holiday', next: () => getRequest(discoveryPath(sequences.holiday())) },
    { name: 'discovery-distance', next: () => getRequest(discoveryPath(sequences.distance())) },
    { name: 'detail', next: () => getRequest(detailPath(sequences.venues()), auth) },
    {
      name: 'booking',
      next: () => bookingRequest(nextSlot(), authorization, `compare-${runId}-${++bookings}`),
    },
    // Last: the booking run's final requests may still commit after it ends, and a hit is not disturbed by them.
    { name: 'discovery-hit', next: () => cached },
  ];
}

/**
 * Two builds of the API on one database, measured in alternating rounds (ABBA…), so the drift of
 * a shared machine (2× between hours, measured) falls on both alike. Each round is a warm-up and a
 * measured run per build; the JSON keeps every round, the table compares each build's best.
 */
export async function compareBuilds(
  builds: Array<{ label: string; server: ServerProcess }>,
  scenarios: ComparedScenario[],
  settings: { rounds: number; durationS: number; warmupS: number; connections: number },
  log: (line: string) => void,
): Promise<BuildComparison[]> {
  const comparisons: BuildComparison[] = [];
  for (const scenario of scenarios) {
    const rounds = new Map(builds.map((build) => [build, [] as Round[]]));
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
        await measureHttp({ baseUrl: build.server.baseUrl, next: scenario.next }, { durationS: settings.warmupS, connections: settings.connections });
        const { measurement: measured, cpuMsPerRequest } = await measureServer(build.server, scenario.next, { durationS: settings.durationS, connections: settings.connections });
        rounds.get(build)!.push({ p50Ms: measured.p50Ms, rps: measured.rps, cpuMsPerRequest, errors: measured.errors });
        log(`  ${scenario.name.padEnd(20)} ${build.label.padEnd(10)} round ${round + 1}: p50 ${measured.p50Ms?.toFixed(2)} ms, ${measured.rps.toFixed(0)} rps, cpu ${cpuMsPerRequest?.toFixed(3)} ms/req, ${measured.errors} errors`);
      }
    }
    comparisons.push({ scenario: scenario.name, builds: builds.map((build) => ({ label: build.label, rounds: rounds.get(build)! })) });
  }
  return comparisons;
}

/** Outside load only ever slows a run down: each build is judged by its best round. */
function best(values: Array<number | null>, better: (a: number, b: number) => boolean): number | null {
  return values.reduce<number | null>((kept, value) => (value === null ? kept : kept === null || better(value, kept) ? value : kept), null);
}

const lower = (a: number, b: number) => a < b;
const higher = (a: number, b: number) => a > b;

const fixed = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));
const ratio = (value: number | null, base: number | null) => (value === null || base === null || base === 0 ? '-' : (value / base).toFixed(2));

/** A Markdown table of each build's best round, this checkout against the other, and where it was written. */
export function writeComparison(comparisons: BuildComparison[], header: string, stamp: string): { markdown: string; files: string[] } {
  const [current, other] = comparisons[0].builds.map((build) => build.label);
  const lines = [
    header,
    '',
    `| scenario | p50 ms ${other} | p50 ms ${current} | × | rps ${other} | rps ${current} | cpu ms/req ${other} | cpu ms/req ${current} | × | errors |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { scenario, builds } of comparisons) {
    const [mine, theirs] = builds.map(({ rounds }) => ({
      p50: best(rounds.map((round) => round.p50Ms), lower),
      rps: best(rounds.map((round) => round.rps), higher),
      cpu: best(rounds.map((round) => round.cpuMsPerRequest), lower),
      errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    }));
    lines.push(
      `| ${scenario} | ${fixed(theirs.p50, 2)} | ${fixed(mine.p50, 2)} | ${ratio(mine.p50, theirs.p50)} | ${fixed(theirs.rps, 0)} | ${fixed(mine.rps, 0)} | ${fixed(theirs.cpu, 3)} | ${fixed(mine.cpu, 3)} | ${ratio(mine.cpu, theirs.cpu)} | ${mine.errors + theirs.errors} |`,
    );
  }
  const markdown = `${lines.join('\n')}\n`;
  const files = [join(RESULTS_DIR, `compare-${stamp}.md`), join(RESULTS_DIR, `compare-${stamp}.json`)];
  writeFileSync(files[0], markdown);
  writeFileSync(files[1], `${JSON.stringify(comparisons, null, 2)}\n`);
  return { markdown, files };
}
