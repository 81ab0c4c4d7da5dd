import { once } from 'node:events';
import { createServer } from 'node:net';

/** The loopback ports of the topology's programs; none of them listens anywhere else. */
export interface ClusterPorts {
  nginx: number;
  api: [number, number];
  postgres: number;
  redis: number;
  prometheus: number;
}

/** `npm run cluster`'s ports: beside, not on, the machine's own PostgreSQL (5432) and Redis (6379). */
export const DEFAULT_PORTS: ClusterPorts = { nginx: 8080, api: [3101, 3102], postgres: 5433, redis: 6380, prometheus: 9090 };

async function listenOnLoopback(port: number): Promise<number> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Fails naming the first port something else already listens on, before anything is started. */
export async function assertPortsFree(ports: ClusterPorts): Promise<void> {
  const named: Array<[name: string, port: number, option: string]> = [
    ['nginx', ports.nginx, '--nginx-port'],
    ['api-1', ports.api[0], '--api-ports'],
    ['api-2', ports.api[1], '--api-ports'],
    ['postgres', ports.postgres, '--postgres-port'],
    ['redis', ports.redis, '--redis-port'],
    ['prometheus', ports.prometheus, '--prometheus-port'],
  ];
  for (const [name, port, option] of named) {
    await listenOnLoopback(port).catch((error: NodeJS.ErrnoException) => {
      throw new Error(`port ${port} (${name}) on 127.0.0.1 is not free (${error.code ?? error.message}): stop what uses it or pass another ${option}`);
    });
  }
}

/** Ports the OS says are free right now (the tests run beside whatever else the machine runs). */
export async function freePorts(): Promise<ClusterPorts> {
  const take = () => listenOnLoopback(0);
  return { nginx: await take(), api: [await take(), await take()], postgres: await take(), redis: await take(), prometheus: await take() };
}
