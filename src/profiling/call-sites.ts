import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** A place in the project's source, in TypeScript terms when the code runs compiled. */
export interface CallSite {
  file: string;
  line: number;
  function: string;
}

/** Where a statement was issued: the first project frame outside the profiler, and the one that called it. */
export interface StatementOrigin {
  at: CallSite;
  caller: CallSite | null;
}

/** Runs of a statement shape, per process, whose call site is captured whatever the request. */
export const FIRST_RUNS_PER_SHAPE = 20;
/** Repeats of one shape within one request whose call site is captured (N+1 findings are keyed on it). */
export const REPEATS_PER_REQUEST = 50;
/** Runs of a shape captured after it has been slow, so the next slow run names its caller. */
export const RUNS_AFTER_SLOW = 20;
/**
 * How soon a shape that is still slow gets another RUNS_AFTER_SLOW captured runs. Under overload
 * every statement is slow (the event loop is late to read its result): without this bound the
 * profiler would capture a stack for every one of them, and add to the overload.
 */
export const SLOW_REARM_MS = 60_000;
const MAX_TRACKED_SHAPES = 5000;
const MAX_REMEMBERED_STACKS = 2000;
/** Deep enough to get from the driver through TypeORM's query builders back to the repository. */
const STACK_DEPTH = 20;

function findProjectRoot(from: string): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) return from;
  }
}

const PROJECT_ROOT = findProjectRoot(__dirname);
const PROFILER_DIRECTORY = `${sep}src${sep}profiling${sep}`;
// "    at async Class.method (/abs/file.ts:12:7)" or "    at /abs/file.js:3:9"
const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(\/[^()]*?):(\d+):(\d+)\)?$/;

/** The unformatted stack of one statement: V8 builds the text only if it is read. */
export interface CapturedStack {
  stack?: string;
}

/** When a shape was last found slow (ms on the CallSites clock) and how many of its runs are still to be captured. */
interface SlowShape {
  armedAtMs: number;
  runsLeft: number;
}

/**
 * Call sites at a bounded cost: a stack is captured (V8 records frames, formats nothing) only for
 * the first runs of each statement shape in the process, for repeats of a shape within a request,
 * and for the next runs of a shape once it has been slow (at most RUNS_AFTER_SLOW per
 * SLOW_REARM_MS); it is formatted and mapped through the source map only when the statement is
 * recorded, and each distinct stack is parsed once.
 */
export class CallSites {
  private readonly runsByShape = new Map<string, number>();
  private readonly slowShapes = new Map<string, SlowShape>();
  private readonly originsByStack = new Map<string, StatementOrigin | null>();
  private readonly sourceMaps = new Map<string, SourceMap | null>();
  private readonly projectFiles = new Map<string, boolean>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** Whether this run's call site is worth a stack: `repeatInRequest` is the number of earlier runs in the request. */
  wants(sql: string, repeatInRequest: number): boolean {
    if (repeatInRequest > 0) return repeatInRequest <= REPEATS_PER_REQUEST;
    const slow = this.slowShapes.get(sql);
    if (slow !== undefined && slow.runsLeft > 0) {
      slow.runsLeft -= 1;
      return true;
    }
    const runs = this.runsByShape.get(sql) ?? 0;
    if (runs >= FIRST_RUNS_PER_SHAPE) return false;
    if (runs > 0 || this.runsByShape.size < MAX_TRACKED_SHAPES) this.runsByShape.set(sql, runs + 1);
    return true;
  }

  /** The next RUNS_AFTER_SLOW runs of this shape have their call site, unless it was armed less than SLOW_REARM_MS ago. */
  markSlow(sql: string): void {
    const now = this.nowMs();
    const slow = this.slowShapes.get(sql);
    if (slow === undefined) {
      if (this.slowShapes.size < MAX_TRACKED_SHAPES) this.slowShapes.set(sql, { armedAtMs: now, runsLeft: RUNS_AFTER_SLOW });
    } else if (now - slow.armedAtMs >= SLOW_REARM_MS) {
      slow.armedAtMs = now;
      slow.runsLeft = RUNS_AFTER_SLOW;
    }
  }

  capture(below: Function): CapturedStack {
    const holder: CapturedStack = {};
    const depth = Error.stackTraceLimit;
    Error.stackTraceLimit = STACK_DEPTH;
    Error.captureStackTrace(holder, below);
    Error.stackTraceLimit = depth;
    return holder;
  }

  resolve(captured: CapturedStack): StatementOrigin | null {
    const stack = captured.stack ?? '';
    let origin = this.originsByStack.get(stack);
    if (origin === undefined) {
      origin = this.originOf(stack);
      if (this.originsByStack.size < MAX_REMEMBERED_STACKS) this.originsByStack.set(stack, origin);
    }
    return origin;
  }

  private originOf(stack: string): StatementOrigin | null {
    const sites: CallSite[] = [];
    for (const line of stack.split('\n')) {
      const frame = FRAME.exec(line);
      if (!frame) continue;
      const [, name, file, lineText, columnText] = frame;
      if (!this.isProjectFile(file)) continue;
      sites.push(this.site(name, file, Number(lineText), Number(columnText)));
      if (sites.length === 2) break;
    }
    return sites.length > 0 ? { at: sites[0], caller: sites[1] ?? null } : null;
  }

  /**
   * A file of the project outside the profiler. Stack frames of dependencies can arrive already
   * mapped to sources they do not ship (Jest maps every frame), so the file must also exist.
   */
  private isProjectFile(file: string): boolean {
    let known = this.projectFiles.get(file);
    if (known === undefined) {
      known = file.startsWith(PROJECT_ROOT + sep) && !file.includes(`${sep}node_modules${sep}`) && !file.includes(PROFILER_DIRECTORY) && existsSync(file);
      this.projectFiles.set(file, known);
    }
    return known;
  }

  /** Compiled frames (dist/…/x.js) are mapped back to their TypeScript line through x.js.map. */
  private site(name: string | undefined, file: string, line: number, column: number): CallSite {
    const fn = name?.replace(/^new /, '') || '(anonymous)';
    const map = file.endsWith('.js') ? this.sourceMapOf(file) : null;
    const entry = map?.findEntry(line - 1, column - 1);
    if (entry && 'originalSource' in entry && entry.originalSource) {
      const source = entry.originalSource.startsWith('file://') ? new URL(entry.originalSource).pathname : resolve(dirname(file), entry.originalSource);
      return { file: relative(PROJECT_ROOT, source), line: entry.originalLine + 1, function: fn };
    }
    return { file: relative(PROJECT_ROOT, file), line, function: fn };
  }

  private sourceMapOf(file: string): SourceMap | null {
    let map = this.sourceMaps.get(file);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
      } catch {
        map = null;
      }
      this.sourceMaps.set(file, map);
    }
    return map;
  }
}
