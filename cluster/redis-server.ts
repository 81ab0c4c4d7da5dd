import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PROGRAMS } from './debian-packages';
import { ManagedProcess, waitUntil } from './managed-process';

const READY_TIMEOUT_MS = 15_000;

/** Debian's redis-server on 127.0.0.1:`port`, keeping nothing on disk (no RDB snapshots, no AOF). */
export async function startRedis(directory: string, logDirectory: string, port: number): Promise<ManagedProcess> {
  mkdirSync(directory);
  const server = ManagedProcess.start({
    name: 'redis',
    command: PROGRAMS.redis.path,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', directory],
    cwd: directory,
    logFile: join(logDirectory, 'redis.log'),
  });
  await waitUntil(() => answersPing(port), `Redis to answer PING on port ${port}`, READY_TIMEOUT_MS, server);
  return server;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}
