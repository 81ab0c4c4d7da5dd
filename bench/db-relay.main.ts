import { TcpRelay } from '../test/support/tcp-relay';
import type { RelayReply, RelayRequest } from './db-relay';

// The --db-rtt relay in a process of its own: in the bench process, the load generator's and raw's
// callbacks would hold its deliveries back. Beside it, the same relay without the delay, on one
// thread with it, so that polling both costs one core.
async function main(): Promise<void> {
  const target = process.env.BENCH_RELAY_TARGET!;
  const relay = TcpRelay.to(target, 5432, Number(process.env.BENCH_RELAY_ONE_WAY_DELAY_MS));
  const undelayed = TcpRelay.to(target, 5432, 0);
  await Promise.all([relay.start(), undelayed.start()]);
  const reply = (message: RelayReply) => process.send!(message);
  process.on('message', (request: RelayRequest) => {
    if (request === 'take-stats') return reply({ stats: relay.takeStats() });
    relay.poll(request.poll);
    undelayed.poll(request.poll);
    reply({ poll: request.poll });
  });
  process.once('disconnect', () => void Promise.all([relay.stop(), undelayed.stop()]).then(() => process.exit(0)));
  reply({ ports: { delayed: relay.port, undelayed: undelayed.port } });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
