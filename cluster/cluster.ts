import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiReplica } from './api-replica';
import { ensureDebianPackages } from './debian-packages';
import { ManagedProcess } from './managed-process';
import { startNginx } from './nginx-server';
import { assertPortsFree, ClusterPorts } from './ports';
import { DATABASE, RunningPostgres, startPostgres, SUPERUSER } from './postgres-server';
import { startPrometheus } from './prometheus-server';
import { startRedis } from './redis-server';
import { API_MAIN, SEED_CLI } from './repository-paths';

export interface ClusterOptions {
  ports: ClusterPorts;
  /**
   * `demo`: the demo dataset's venues, seeded before the replicas start (production creates no
   * demo logins: register an account through the API). `none`: an empty database the replicas migrate.
   */
  seed: 'demo' | 'none';
  /** Settings of both API replicas over the topology's own (e.g. LOGIN_RATE_LIMIT). */
  apiEnv?: NodeJS.ProcessEnv;
  /** Keep the run directory (data, configuration, logs) after stop. */
  keepRunDirectory?: boolean;
  report?: (line: string) => void;
}

class ClusterStopped extends Error {}

/**
 * The scale-out topology of docker/compose.yaml on this machine, without Docker: nginx (the
 * shared template) in front of two API replicas, one PostgreSQL, one Redis, and Prometheus
 * scraping both replicas. Everything listens on 127.0.0.1 and lives in one run directory under
 * the system's temp directory; every program is a child of this process.
 */
export class Cluster {
  readonly runDirectory: string;
  readonly logDirectory: string;
  readonly replicas: [ApiReplica, ApiReplica];
  /** Shared by both replicas, so a token one issues the other accepts. */
  readonly jwtSecret = process.env.JWT_SECRET || randomBytes(32).toString('hex');
  readonly profilerToken = process.env.PROFILER_TOKEN || randomBytes(16).toString('hex');
  readonly redisUrl: string;
  private postgres: RunningPostgres | undefined;
  private readonly infrastructure: ManagedProcess[] = [];
  private readonly edge: ManagedProcess[] = [];
  private stopping: Promise<void> | undefined;
  private unexpectedExitListener: ((program: ManagedProcess, description: string) => void) | undefined;

  private constructor(readonly options: ClusterOptions) {
    this.runDirectory = mkdtempSync(join(tmpdir(), 'venues-cluster-'));
    // Others may pass through (not list) it: the postgres user to its own directory, nginx's workers to their temp files.
    chmodSync(this.runDirectory, 0o711);
    this.logDirectory = join(this.runDirectory, 'logs');
    mkdirSync(this.logDirectory);
    this.redisUrl = `redis://127.0.0.1:${options.ports.redis}`;
    this.replicas = [this.replica('api-1', options.ports.api[0]), this.replica('api-2', options.ports.api[1])];
  }

  /** Prepares the run directory; start() then brings everything up, stop() takes it down (also halfway). */
  static create(options: ClusterOptions): Cluster {
    return new Cluster(options);
  }

  get ports(): ClusterPorts {
    return this.options.ports;
  }

  get edgeUrl(): string {
    return `http://127.0.0.1:${this.ports.nginx}`;
  }

  get prometheusUrl(): string {
    return `http://127.0.0.1:${this.ports.prometheus}`;
  }

  /** postgres://postgres@127.0.0.1:port (trust authentication): append /database. */
  get serverUrl(): string {
    return this.startedPostgres().serverUrl;
  }

  get databaseUrl(): string {
    return this.startedPostgres().databaseUrl;
  }

  async start(): Promise<void> {
    const { ports } = this.options;
    const report = this.options.report ?? (() => undefined);
    if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: build the app first (npm run build)`);
    ensureDebianPackages(report);
    await assertPortsFree(ports);

    report(`Starting PostgreSQL (:${ports.postgres}) and Redis (:${ports.redis}) in ${this.runDirectory}`);
    const [postgres, redis] = await Promise.all([
      startPostgres(join(this.runDirectory, 'postgres'), this.logDirectory, ports.postgres),
      startRedis(join(this.runDirectory, 'redis'), this.logDirectory, ports.redis),
    ]);
    this.postgres = postgres;
    this.infrastructure.push(...this.watched(postgres.process, redis));
    this.throwIfStopped();

    if (this.options.seed === 'demo') {
      report('Seeding the demo dataset (migrations, then venues; production creates no demo logins)');
      await this.seedDemo();
    }

    report(`Starting the API replicas (:${ports.api[0]}, :${ports.api[1]}) together`);
    await Promise.all(this.replicas.map((replica) => replica.start()));
    this.throwIfStopped();

    report(`Starting nginx (:${ports.nginx}) and Prometheus (:${ports.prometheus})`);
    const edge = await Promise.all([
      startNginx(join(this.runDirectory, 'nginx'), this.logDirectory, ports.nginx, ports.api),
      startPrometheus(join(this.runDirectory, 'prometheus'), this.logDirectory, ports.prometheus, this.replicas.map((replica) => ({ replica: replica.name, address: `127.0.0.1:${replica.port}` }))),
    ]);
    this.edge.push(...this.watched(...edge));
    this.throwIfStopped();
  }

  /**
   * Calls `listener` when a program of the topology exits without having been asked to (a
   * replica killed on purpose through its ManagedProcess does not count).
   */
  watchForUnexpectedExits(listener: (program: ManagedProcess, description: string) => void): void {
    this.unexpectedExitListener = listener;
  }

  /** Stops everything started so far, the edge first and the data last; then removes the run directory unless asked to keep it. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    await Promise.all(this.edge.map((program) => program.stop()));
    await Promise.all(this.replicas.map((replica) => replica.stop()));
    await Promise.all(this.infrastructure.map((program) => program.stop()));
    if (!this.options.keepRunDirectory) rmSync(this.runDirectory, { recursive: true, force: true });
  }

  private replica(name: string, port: number): ApiReplica {
    return new ApiReplica(name, port, this.replicaEnv(), this.logDirectory, (program) => this.watched(program));
  }

  private watched(...programs: ManagedProcess[]): ManagedProcess[] {
    for (const program of programs) {
      program.onUnexpectedExit((exit) => this.unexpectedExitListener?.(program, exit.signal ?? `code ${exit.code}`));
    }
    return programs;
  }

  /** What compose's x-api block sets, for this machine's ports, over the caller's environment. */
  private replicaEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      TRUST_PROXY: '1',
      DATABASE_URL: `postgres://${SUPERUSER}@127.0.0.1:${this.options.ports.postgres}/${DATABASE}`,
      REDIS_URL: this.redisUrl,
      JWT_SECRET: this.jwtSecret,
      PROFILER_TOKEN: this.profilerToken,
      SEED_DEMO_ON_EMPTY: 'false',
      ...this.options.apiEnv,
    };
  }

  private async seedDemo(): Promise<void> {
    const seed = ManagedProcess.start({
      name: 'seed',
      command: process.execPath,
      args: [SEED_CLI, '--scale', 'demo'],
      env: this.replicaEnv(),
      logFile: join(this.logDirectory, 'seed.log'),
    });
    const exit = await seed.exited;
    if (exit.code !== 0) throw new Error(`seeding failed (${exit.signal ?? `code ${exit.code}`}):\n${seed.logTail()}`);
  }

  private startedPostgres(): RunningPostgres {
    if (this.postgres === undefined) throw new Error('the cluster has not started PostgreSQL yet');
    return this.postgres;
  }

  private throwIfStopped(): void {
    if (this.stopping) throw new ClusterStopped('the cluster was stopped while starting');
  }
}

/** Creates and starts a cluster; whatever started is stopped again when a step fails. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const cluster = Cluster.create(options);
  try {
    await cluster.start();
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

export function isClusterStopped(error: unknown): boolean {
  return error instanceof ClusterStopped;
}
