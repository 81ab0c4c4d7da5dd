import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here: the output outlives this process and needs no draining. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Another system user to run as (PostgreSQL refuses root); supplementary groups are dropped. */
  user?: { uid: number; gid: number };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const STOP_GRACE_MS = 15_000;
const LOG_TAIL_LINES = 40;

/**
 * Every process this module started and not yet seen exit. If this process ends without stopping
 * them (an uncaught error, a test runner tearing down), they are killed on the way out: nothing
 * the topology started outlives it.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * One long-running program of the topology, a direct child of this process (in its process group,
 * so a terminal's Ctrl-C reaches it too) with its output in a log file.
 */
export class ManagedProcess {
  readonly exited: Promise<Exit>;
  private stopping = false;

  private constructor(
    readonly spec: ProcessSpec,
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    this.exited = once(child, 'exit').then(([code, signal]) => {
      running.delete(child);
      return { code, signal } as Exit;
    });
  }

  static start(spec: ProcessSpec): ManagedProcess {
    const log = openSync(spec.logFile, 'a');
    try {
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env ?? process.env,
        stdio: ['ignore', log, log],
        uid: spec.user?.uid,
        gid: spec.user?.gid,
      });
      return new ManagedProcess(spec, child);
    } finally {
      closeSync(log);
    }
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Calls `listener` if the process exits without stop() or kill() having asked it to. */
  onUnexpectedExit(listener: (exit: Exit) => void): void {
    void this.exited.then((exit) => {
      if (!this.stopping) listener(exit);
    });
  }

  /** Sends `signal` at once (SIGKILL: no shutdown of any kind) and resolves when the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
    this.stopping = true;
    if (this.isRunning) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM (every program here shuts down cleanly on it), SIGKILL if it is still there after a grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.isRunning) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** The last lines of its log, to explain a failure. */
  logTail(lines = LOG_TAIL_LINES): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no output)';
    }
  }
}

const POLL_INTERVAL_MS = 200;

/**
 * Polls `check` until it holds. Fails naming `what` after `timeoutMs`, or at once when
 * `watched` exits meanwhile, with the end of its log either way.
 */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs: number, watched?: ManagedProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (watched && !watched.isRunning) {
      const exit = await watched.exited;
      throw new Error(`${watched.name} exited (${exit.signal ?? `code ${exit.code}`}) before ${what}; its log (${watched.spec.logFile}) ends:\n${watched.logTail()}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      const log = watched ? `; the log of ${watched.name} (${watched.spec.logFile}) ends:\n${watched.logTail()}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** Whether GET `url` answers 2xx. */
export async function answersOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  await response.arrayBuffer();
  return response.ok;
}
