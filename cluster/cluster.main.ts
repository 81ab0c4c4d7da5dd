import { parseArgs } from 'node:util';
import { Cluster, isClusterStopped } from './cluster';
import { MissingPackagesError } from './debian-packages';
import { ClusterPorts, DEFAULT_PORTS } from './ports';

const USAGE = `Usage: npm run cluster -- [options]

Runs the scale-out topology of docker/compose.yaml on this machine, without Docker: nginx in front
of two API replicas, PostgreSQL, Redis and Prometheus, all on 127.0.0.1. Missing Debian packages
are installed when run as root. Ctrl-C or SIGTERM stops everything it started.

Options (defaults in brackets):
  --nginx-port N          the public edge [${DEFAULT_PORTS.nginx}]
  --api-ports N,M         the two API replicas, directly [${DEFAULT_PORTS.api.join(',')}]
  --postgres-port N       PostgreSQL [${DEFAULT_PORTS.postgres}]
  --redis-port N          Redis [${DEFAULT_PORTS.redis}]
  --prometheus-port N     Prometheus [${DEFAULT_PORTS.prometheus}]
  --seed demo|none        the demo dataset's venues, or an empty database [demo]
  --keep                  keep the run directory (data, configuration, logs) after stopping
  -h, --help

The replicas take the other API settings (LOGIN_RATE_LIMIT, LOG_LEVEL, JWT_SECRET, …) from the environment.`;

class UsageError extends Error {}

const EXIT_USAGE = 2;
const SIGNAL_GRACE_MS = 1_000;

function port(value: string | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new UsageError(`${option} must be a port number, not "${value}"`);
  return parsed;
}

function parseOptions(argv: string[]): { ports: ClusterPorts; seed: 'demo' | 'none'; keep: boolean } | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'nginx-port': { type: 'string' },
        'api-ports': { type: 'string' },
        'postgres-port': { type: 'string' },
        'redis-port': { type: 'string' },
        'prometheus-port': { type: 'string' },
        seed: { type: 'string', default: 'demo' },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help';
  if (values.seed !== 'demo' && values.seed !== 'none') throw new UsageError(`--seed must be demo or none, not "${values.seed}"`);
  const apiPorts = values['api-ports']?.split(',') ?? [];
  if (values['api-ports'] !== undefined && apiPorts.length !== 2) throw new UsageError('--api-ports takes two ports, e.g. 3101,3102');
  const ports: ClusterPorts = {
    nginx: port(values['nginx-port'], DEFAULT_PORTS.nginx, '--nginx-port'),
    api: [port(apiPorts[0], DEFAULT_PORTS.api[0], '--api-ports'), port(apiPorts[1], DEFAULT_PORTS.api[1], '--api-ports')],
    postgres: port(values['postgres-port'], DEFAULT_PORTS.postgres, '--postgres-port'),
    redis: port(values['redis-port'], DEFAULT_PORTS.redis, '--redis-port'),
    prometheus: port(values['prometheus-port'], DEFAULT_PORTS.prometheus, '--prometheus-port'),
  };
  return { ports, seed: values.seed, keep: values.keep };
}

function banner(cluster: Cluster): string {
  const [api1, api2] = cluster.replicas;
  return [
    `Venues API topology running (run directory ${cluster.runDirectory}):`,
    `  Edge (nginx)      ${cluster.edgeUrl}          the public API: /v1/…, /health/ready; /metrics is blocked`,
    `  Replica ${api1.name}     ${api1.url}          one API process directly (its /metrics, /_profiler)`,
    `  Replica ${api2.name}     ${api2.url}          the other one`,
    `  PostgreSQL        ${cluster.databaseUrl}`,
    `  Redis             ${cluster.redisUrl}`,
    `  Prometheus        ${cluster.prometheusUrl}          scrapes both replicas every 2 s (/targets, /graph)`,
    `  Logs              ${cluster.logDirectory}/ (nginx-access.log names the replica of each request)`,
    `  Profiler token    ${cluster.profilerToken}`,
    `Stop everything: Ctrl-C, or kill ${process.pid}${cluster.options.keepRunDirectory ? ' (the run directory is kept)' : ' (the run directory is removed; --keep keeps it)'}`,
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const cluster = Cluster.create({ ports: options.ports, seed: options.seed, keepRunDirectory: options.keep, report: (line) => console.log(line) });
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string, code: number) => {
      if (stopping) return;
      stopping = true;
      console.log(`${why}: stopping everything`);
      void cluster.stop().then(() => resolve(code));
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stop(`${signal} received`, 0));
    cluster.watchForUnexpectedExits((program, description) => {
      // A terminal's Ctrl-C signals the whole process group: a program may be seen exiting before this process's own SIGINT is.
      setTimeout(() => stop(`${program.name} exited unexpectedly (${description}); its log ends:\n${program.logTail()}\n`, 1), SIGNAL_GRACE_MS);
    });
  });

  try {
    await cluster.start();
  } catch (error) {
    if (isClusterStopped(error)) return stopped;
    await cluster.stop();
    throw error;
  }
  console.log(banner(cluster));
  return stopped;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A missing package is an instruction for the user, not a crash: no stack trace.
    console.error(error instanceof MissingPackagesError ? error.message : error);
    process.exit(1);
  },
);
