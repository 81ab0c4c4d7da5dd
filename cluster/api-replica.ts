import { join } from 'node:path';
import { answersOk, ManagedProcess, waitUntil } from './managed-process';
import { API_MAIN, REPOSITORY_ROOT } from './repository-paths';

/** Migrations and a cold start on a busy 2-core machine, with the other replica starting beside it. */
const READY_TIMEOUT_MS = 120_000;

/**
 * One API process (the built app, `node dist/src/main.js`) on its own loopback port. It can be
 * stopped, killed and started again on the same port, with other settings for one run if asked.
 */
export class ApiReplica {
  private current: ManagedProcess | undefined;
  private starts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDirectory: string,
    private readonly onStart: (process: ManagedProcess) => void = () => undefined,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The running process; undefined before the first start. */
  get process(): ManagedProcess | undefined {
    return this.current;
  }

  /** The log of the latest start (each start gets its own file: api-1.log, api-1.2.log, …). */
  get logFile(): string | undefined {
    return this.current?.spec.logFile;
  }

  /**
   * Starts the process (spawned before this returns its promise, so replicas started in one
   * tick start together) and resolves once /health/ready answers 200. `overrides` apply to this
   * start only.
   */
  start(overrides: NodeJS.ProcessEnv = {}): Promise<void> {
    if (this.current?.isRunning) throw new Error(`${this.name} is already running`);
    this.starts += 1;
    const suffix = this.starts === 1 ? '' : `.${this.starts}`;
    this.current = ManagedProcess.start({
      name: this.name,
      command: process.execPath,
      args: [API_MAIN],
      cwd: REPOSITORY_ROOT,
      env: { ...this.env, ...overrides, PORT: String(this.port) },
      logFile: join(this.logDirectory, `${this.name}${suffix}.log`),
    });
    this.onStart(this.current);
    return waitUntil(() => answersOk(`${this.url}/health/ready`), `${this.name} to be ready at ${this.url}/health/ready`, READY_TIMEOUT_MS, this.current);
  }

  /** SIGTERM: the API drains its requests and closes its pool. */
  async stop(): Promise<void> {
    await this.current?.stop();
  }
}
