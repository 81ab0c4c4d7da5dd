import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { QueryRunner } from 'typeorm';
import type { SeedProgress, TableSummary } from './progress-reporter';

/**
 * PostgreSQL types the seed writes. `date` values are DayNumbers and `timestamptz` values are
 * EpochSeconds (see calendar.ts): integers cost less to build, send and parse than text.
 */
export type ColumnType =
  | 'integer'
  | 'smallint'
  | 'double precision'
  | 'numeric'
  | 'boolean'
  | 'text'
  | 'time'
  | 'date'
  | 'timestamptz'
  | 'jsonb'
  | 'integer[]';

export interface TableDefinition<Row> {
  name: string;
  /** Row property → column type, in column order; `venueId` is written to `venue_id`. */
  columns: { readonly [Key in keyof Row & string]: ColumnType };
}

export function defineTable<Row>(name: string, columns: TableDefinition<Row>['columns']): TableDefinition<Row> {
  return { name, columns };
}

/** Rows arrive in groups (one venue's slots, say); progress counts groups of `count`. */
export interface RowGroups<Row> {
  count: number;
  groups: Iterable<readonly Row[]>;
}

const BATCH_ROWS = 5_000;

/**
 * Writes generated rows with multi-row `INSERT … SELECT FROM unnest($1::integer[], $2::text[], …)`:
 * one statement per batch whatever the row count, and a fixed number of parameters. One batch is
 * in flight while the next is built, so PostgreSQL inserts on one core while Node generates on the
 * other.
 */
export class TableWriter {
  constructor(
    private readonly runner: Pick<QueryRunner, 'query'>,
    private readonly progress: SeedProgress,
  ) {}

  async write<Row>(table: TableDefinition<Row>, source: RowGroups<Row>): Promise<TableSummary> {
    const tableProgress = this.progress.startTable(table.name, source.count);
    const batch = new ColumnBatch(table);
    const sql = insertStatement(table);
    let inFlight: Promise<unknown> = Promise.resolve();
    let rowsSent = 0;
    let groupsDone = 0;

    const send = async () => {
      await inFlight;
      rowsSent += batch.size;
      // INSERT … SELECT FROM unnest(column arrays): one statement per batch of thousands of rows, which no builder says.
      inFlight = this.runner.query(sql, batch.drain());
      // Awaited before the next send; the no-op handler keeps Node from calling it unhandled meanwhile.
      inFlight.catch(() => undefined);
      // Lets the driver put the statement on the wire before the next batch is built synchronously.
      await yieldToEventLoop();
      tableProgress.update(groupsDone, rowsSent);
    };

    for (const group of source.groups) {
      for (const row of group) batch.add(row);
      groupsDone++;
      if (batch.size >= BATCH_ROWS) await send();
    }
    if (batch.size > 0) await send();
    await inFlight;
    return tableProgress.finish(rowsSent);
  }
}

interface ColumnCodec {
  /** Element type of the array parameter the column travels in. */
  transport: string;
  /** Turns the unnest output back into the column's type. */
  select: (column: string) => string;
  /** The value as an element of a PostgreSQL array literal. */
  element: (value: unknown) => string;
}

const plainElement = (value: unknown) => (value === null ? 'NULL' : String(value));
const NEEDS_ESCAPING = /[\\"]/;
const quotedElement = (value: unknown) => {
  if (value === null) return 'NULL';
  const text = String(value);
  return NEEDS_ESCAPING.test(text) ? `"${text.replace(/[\\"]/g, '\\$&')}"` : `"${text}"`;
};
const asIs = (column: string) => column;
const sameType = (type: ColumnType): ColumnCodec => ({ transport: type, select: asIs, element: plainElement });

/**
 * How each column type travels. Parameters are sent as ready-made array literals: node-postgres
 * would otherwise quote and escape every number itself, which cost more than generating the rows.
 * Array and JSON columns travel as text (a 2-D unnest would flatten them) and are cast back.
 */
const CODECS: Readonly<Record<ColumnType, ColumnCodec>> = {
  integer: sameType('integer'),
  smallint: sameType('smallint'),
  'double precision': sameType('double precision'),
  numeric: sameType('numeric'),
  boolean: sameType('boolean'),
  text: { transport: 'text', select: asIs, element: quotedElement },
  time: { transport: 'time', select: asIs, element: quotedElement },
  date: { transport: 'integer', select: (column) => `DATE '1970-01-01' + ${column}`, element: plainElement },
  timestamptz: { transport: 'double precision', select: (column) => `to_timestamp(${column})`, element: plainElement },
  jsonb: { transport: 'text', select: (column) => `${column}::jsonb`, element: (value) => quotedElement(JSON.stringify(value)) },
  'integer[]': {
    transport: 'text',
    select: (column) => `${column}::integer[]`,
    element: (value) => quotedElement(`{${(value as number[]).join(',')}}`),
  },
};

function insertStatement<Row>(table: TableDefinition<Row>): string {
  const columns = Object.entries<ColumnType>(table.columns).map(([key, type]) => ({ name: `"${snakeCase(key)}"`, codec: CODECS[type] }));
  const names = columns.map((column) => column.name).join(', ');
  const selected = columns.map((column) => column.codec.select(column.name)).join(', ');
  const arrays = columns.map((column, index) => `$${index + 1}::${column.codec.transport}[]`).join(', ');
  return `INSERT INTO ${table.name} (${names}) SELECT ${selected} FROM unnest(${arrays}) AS batch(${names})`;
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Rows transposed into one array literal per column, the shape unnest takes. */
class ColumnBatch<Row> {
  private readonly keys: Array<keyof Row & string>;
  private readonly codecs: ColumnCodec[];
  private elements: string[][];
  size = 0;

  constructor(table: TableDefinition<Row>) {
    this.keys = Object.keys(table.columns) as Array<keyof Row & string>;
    this.codecs = this.keys.map((key) => CODECS[table.columns[key]]);
    this.elements = this.keys.map(() => []);
  }

  add(row: Row): void {
    for (let i = 0; i < this.keys.length; i++) this.elements[i].push(this.codecs[i].element(row[this.keys[i]]));
    this.size++;
  }

  /** The batch as query parameters, leaving the batch empty. */
  drain(): string[] {
    const literals = this.elements.map((elements) => `{${elements.join(',')}}`);
    this.elements = this.keys.map(() => []);
    this.size = 0;
    return literals;
  }
}
