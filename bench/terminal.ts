import type { ContractCheck } from './contract';
import type { Impl, ScenarioResult, TargetCheck } from './results-model';

/** The results table's columns, shared by the terminal and the Markdown report. */
export const COLUMNS: Array<{ title: string; width: number; value: (result: ScenarioResult) => string }> = [
  { title: 'scenario', width: 28, value: (result) => result.name },
  { title: 'impl', width: 8, value: (result) => result.impl },
  { title: 'p50 ms', width: 9, value: (result) => latency(result.p50Ms) },
  { title: 'p95 ms', width: 9, value: (result) => latency(result.p95Ms) },
  { title: 'p99 ms', width: 9, value: (result) => latency(result.p99Ms) },
  { title: 'rps', width: 9, value: (result) => result.rps.toFixed(result.rps < 100 ? 1 : 0) },
  { title: 'stmt/req', width: 9, value: (result) => perRequest(result.statementsPerRequest) },
  { title: 'sess/req', width: 9, value: (result) => perRequest(result.sessionsPerRequest) },
  { title: 'cpu ms/req', width: 10, value: (result) => (result.serverCpuMsPerRequest === null ? '-' : result.serverCpuMsPerRequest.toFixed(2)) },
  { title: 'requests', width: 9, value: (result) => String(result.requests) },
  { title: 'errors', width: 7, value: (result) => String(result.errors) },
];

/** Milliseconds with three significant digits or so, as every bench table prints them. */
export function latency(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 10 ? ms.toFixed(2) : ms < 1000 ? ms.toFixed(1) : ms.toFixed(0);
}

function perRequest(value: number | null): string {
  return value === null ? '-' : value.toFixed(value % 1 === 0 ? 0 : 2);
}

function cells(values: string[]): string {
  return values.map((value, index) => (index < 2 ? value.padEnd(COLUMNS[index].width) : value.padStart(COLUMNS[index].width))).join(' ');
}

export function tableHeader(): string {
  return cells(COLUMNS.map((column) => column.title));
}

export function tableRow(result: ScenarioResult): string {
  return cells(COLUMNS.map((column) => column.value(result)));
}

/** One measured run as it happens: a live line on a terminal, nothing on a pipe (CI logs stay readable). */
export interface RunProgress {
  update(completed: number): void;
  finish(result: ScenarioResult): void;
}

export class BenchConsole {
  private readonly live = process.stdout.isTTY === true;
  private runsDone = 0;

  constructor(private readonly totalRuns: number) {}

  log(line: string): void {
    process.stdout.write(`${line}\n`);
  }

  /** `expected`: seconds for a timed run, requests for a counted one. */
  startRun(name: string, impl: Impl, expected: { seconds: number } | { requests: number }): RunProgress {
    const label = `[${String(this.runsDone + 1).padStart(2)}/${this.totalRuns}] ${name} · ${impl}`;
    const began = Date.now();
    const draw = (completed: number) => {
      if (!this.live) return;
      const done = 'seconds' in expected ? Math.min(1, (Date.now() - began) / 1000 / expected.seconds) : Math.min(1, completed / expected.requests);
      const bar = '█'.repeat(Math.round(done * 20)).padEnd(20, '░');
      process.stdout.write(`\r\x1b[2K${label}  ${bar}  ${completed} requests`);
    };
    draw(0);
    return {
      update: draw,
      finish: (result) => {
        this.runsDone += 1;
        if (this.live) process.stdout.write('\r\x1b[2K');
        this.log(tableRow(result));
        if (result.errors > 0) this.log(`    ${result.errors} failed requests; first: ${result.firstError ?? 'unknown'}`);
      },
    };
  }

  contract(check: ContractCheck): void {
    if (check.differences.length === 0) {
      this.log(`  contract ${check.scenario}: api and legacy identical (${check.requests} requests, ${check.fieldsCompared} fields)`);
      return;
    }
    this.log(`  CONTRACT MISMATCH in ${check.scenario}: ${check.differences.length} differences between the API and the legacy reference`);
    for (const difference of check.differences.slice(0, 20)) this.log(`    ${difference}`);
  }
}

export function targetLines(checks: TargetCheck[]): string[] {
  return [
    '',
    'Targets (issues 7 and 14; informational, never fail the run):',
    ...checks.map((check) => `  ${check.pass === null ? 'n/a ' : check.pass ? 'PASS' : 'MISS'}  ${check.target}: ${check.measured}`),
  ];
}
