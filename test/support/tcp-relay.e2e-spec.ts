import { once } from 'node:events';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TcpRelay } from './tcp-relay';

const ONE_WAY_DELAY_MS = 20;
const MESSAGES = 40;
const MESSAGE_LENGTH = 9;
const message = (index: number) => `msg-${String(index).padStart(4, '0')};`;

describe.each([
  ['sleeping between chunks', false],
  ['polling', true],
])('TcpRelay with a one-way delay (the bench --db-rtt network), %s', (_mode, polling) => {
  let echo: Server;
  let relay: TcpRelay;
  let client: Socket;

  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    relay = new TcpRelay('127.0.0.1', (echo.address() as AddressInfo).port, ONE_WAY_DELAY_MS);
    await relay.start();
    relay.poll(polling);
    client = connect(relay.port, '127.0.0.1');
    await once(client, 'connect');
  });
  afterAll(async () => {
    client?.destroy();
    await relay?.stop();
    echo?.close();
  });

  it('returns every chunk in order and none before a round trip of delay (there and back)', async () => {
    const sentAt: number[] = [];
    const arrivedAfterMs: number[] = [];
    let received = '';
    const allBack = new Promise<void>((resolve) => {
      client.on('data', (chunk: Buffer) => {
        const now = performance.now();
        received += chunk.toString('utf8');
        while (arrivedAfterMs.length < Math.floor(received.length / MESSAGE_LENGTH)) arrivedAfterMs.push(now - sentAt[arrivedAfterMs.length]);
        if (arrivedAfterMs.length === MESSAGES) resolve();
      });
    });
    for (let index = 0; index < MESSAGES; index += 1) {
      sentAt.push(performance.now());
      client.write(message(index));
      // Writes spread over more than one delay, so some arrive while earlier ones are still held.
      if (index % 8 === 7) await new Promise((resolve) => setTimeout(resolve, ONE_WAY_DELAY_MS / 2));
    }
    await allBack;

    expect(received).toBe(Array.from({ length: MESSAGES }, (_, index) => message(index)).join(''));
    expect(Math.min(...arrivedAfterMs)).toBeGreaterThanOrEqual(2 * ONE_WAY_DELAY_MS);
    expect(relay.takeStats()?.lateness.deliveries).toBeGreaterThanOrEqual(2);
  });
});
