import { performance } from 'node:perf_hooks';

export interface TableSummary {
  table: string;
  rows: number;
  ms: number;
}

export interface TableProgress {
  /** `unitsDone` of the `units` the table started with (venues processed, say); `rows` written so far. */
  update(unitsDone: number, rows: number): void;
  finish(rows: number): TableSummary;
}

export interface SeedProgress {
  startTable(table: string, units: number): TableProgress;
  /** Runs a step that writes no rows (rebuilding indexes, ANALYZE) and reports how long it took. */
  phase<T>(label: string, work: () => Promise<T>): Promise<T>;
}

const BAR_WIDTH = 28;
const REDRAW_INTERVAL_MS = 100;

/** A redrawn bar per table on a terminal; one plain line per table in logs and CI. */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): SeedProgress {
  return {
    startTable: (table, units) => (stream.isTTY ? new BarProgress(stream, table, units) : new LineProgress(stream, table)),
    phase: async (label, work) => {
      const startedAt = performance.now();
      if (stream.isTTY) stream.write(`${label}…`);
      const result = await work();
      stream.write(`${stream.isTTY ? '\r' : ''}${label}: ${seconds(performance.now() - startedAt)}\n`);
      return result;
    },
  };
}

/** For the seed at application start: the caller logs one summary line instead. */
export const silentProgress: SeedProgress = {
  startTable: (table) => new LineProgress(undefined, table),
  phase: (_label, work) => work(),
};

class LineProgress implements TableProgress {
  protected readonly startedAt = performance.now();

  constructor(
    protected readonly stream: NodeJS.WritableStream | undefined,
    protected readonly table: string,
  ) {}

  /** Logs get one line per table, when it is done. */
  update(_unitsDone: number, _rows: number): void {}

  finish(rows: number): TableSummary {
    const summary = { table: this.table, rows, ms: Math.round(performance.now() - this.startedAt) };
    this.stream?.write(this.finalLine(summary));
    return summary;
  }

  protected finalLine({ table, rows, ms }: TableSummary): string {
    return `seeded ${table}: ${rows} rows in ${seconds(ms)}\n`;
  }
}

class BarProgress extends LineProgress {
  private lastDrawnAt = 0;

  constructor(
    stream: NodeJS.WriteStream,
    table: string,
    private readonly units: number,
  ) {
    super(stream, table);
    this.draw(0, 0);
  }

  override update(unitsDone: number, rows: number): void {
    const now = performance.now();
    if (now - this.lastDrawnAt < REDRAW_INTERVAL_MS) return;
    this.lastDrawnAt = now;
    this.draw(unitsDone, rows);
  }

  protected override finalLine({ rows, ms }: TableSummary): string {
    return `\r${this.line(1, rows, ms)}\n`;
  }

  private draw(unitsDone: number, rows: number): void {
    const fraction = this.units === 0 ? 1 : Math.min(1, unitsDone / this.units);
    this.stream?.write(`\r${this.line(fraction, rows, performance.now() - this.startedAt)}`);
  }

  private line(fraction: number, rows: number, ms: number): string {
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const percent = `${Math.round(fraction * 100)}%`.padStart(4);
    return `${this.table.padEnd(22)} ${bar} ${percent} ${rows.toLocaleString('en-US').padStart(11)} rows ${seconds(ms).padStart(7)}`;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
