import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** An HTTP server the bench started and measures. */
export interface ServerProcess {
  name: string;
  baseUrl: string;
  pid: number | undefined;
  /**
   * CPU seconds (user + system) the server process has used so far; null where /proc is not
   * available. Per request, it shows what a server costs even when other processes on the
   * machine make its throughput noisy.
   */
  cpuSeconds(): number | null;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** Answers 2xx once the server can take load. */
  readyPath: string;
  nodeArgs?: string[];
  /** A command that runs node (e.g. valgrind and its options): its process is the server's. */
  wrapper?: string[];
}

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
/** Lines of a child's output kept to explain a failure. */
const KEPT_OUTPUT_LINES = 60;

/** A loopback port free right now (the OS picks it; the child binds it a moment later). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('could not get a free loopback port');
  return address.port;
}

/** Starts `node <script>` on a free loopback port (PORT in its env) and waits until readyPath answers. */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const [command, ...args] = [...(spec.wrapper ?? []), process.execPath, ...(spec.nodeArgs ?? []), spec.script];
  const child = spawn(command, args, {
    env: { ...spec.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = keepTail(child);
  let serving = false;
  const stop = () => {
    serving = false;
    return stopChild(child);
  };
  // A server that dies mid-run makes the next request fail with a bare "fetch failed": say which, and why.
  child.once('exit', (code, signal) => {
    if (serving) process.stderr.write(`\n${spec.name} exited unexpectedly (${signal ?? `code ${code}`})\n--- last output of ${spec.name} ---\n${output().join('\n')}\n`);
  });
  try {
    await waitUntilReady(child, `${baseUrl}${spec.readyPath}`);
  } catch (error) {
    await stop();
    throw new Error(`${spec.name} did not start: ${(error as Error).message}\n--- last output of ${spec.name} ---\n${output().join('\n')}`);
  }
  serving = true;
  return { name: spec.name, baseUrl, pid: child.pid, cpuSeconds: () => cpuSecondsOf(child.pid), stop };
}

let clockTicksPerSecond: number | undefined;

/**
 * utime + stime of a Linux process: the time its threads have run, from each thread's
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds), or, where the kernel keeps no schedstat, from
 * /proc/<pid>/stat (fields 14 and 15, in clock ticks: 10 ms, 1% of a profiling round). A thread
 * that ends between two readings takes its time with it; the API's threads (V8's and libuv's)
 * live as long as the process.
 */
function cpuSecondsOf(pid: number | undefined): number | null {
  try {
    let nanoseconds = 0;
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      try {
        nanoseconds += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread ended while the list was read.
      }
    }
    if (nanoseconds > 0) return nanoseconds / 1e9;
    clockTicksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
  } catch {
    return null;
  }
}

function keepTail(child: ChildProcess): () => string[] {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - KEPT_OUTPUT_LINES));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines;
}

async function waitUntilReady(child: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    const ready = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer 2xx within ${READY_TIMEOUT_MS / 1000}s`);
}

/** SIGTERM (the API drains and closes its pool), SIGKILL if it is still there after a grace period. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
