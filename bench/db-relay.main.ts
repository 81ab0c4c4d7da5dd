import { TcpRelay } from '../test/support/tcp-relay';
import type { RelayReply, RelayRequest } from './db-relay';

// The --db-rtt relay in a process of its own: in the bench process, the load generator's and raw's
// callbacks would hold its deliveries back.
async function main(): Promise<void> {
  const relay = TcpRelay.to(process.env.BENCH_RELAY_TARGET!, 5432, Number(process.env.BENCH_RELAY_ONE_WAY_DELAY_MS));
  await relay.start();
  const reply = (message: RelayReply) => process.send!(message);
  process.on('message', (request: RelayRequest) => {
    if (request === 'take-stats') return reply({ stats: relay.takeStats() });
    relay.busyWait(request.busyWaitUs);
    reply({ busyWaitUs: request.busyWaitUs });
  });
  process.once('disconnect', () => void relay.stop().then(() => process.exit(0)));
  reply({ port: relay.port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
