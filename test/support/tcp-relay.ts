import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { DelayLine, type Lateness } from './delay-line';

/** What a delaying relay saw since it was last asked. */
export interface RelayStats {
  lateness: Lateness;
  /**
   * Times a client sent after the server had spoken last on its connection (or first): each is a
   * wait for a reply. Pipelined messages count once; parallel connections each count.
   */
  roundTrips: number;
}

/** `url` with its host and port replaced by a port on 127.0.0.1 (a relay's). */
export function urlOnLoopbackPort(url: string, port: number): string {
  const relayed = new URL(url);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(port);
  return relayed.toString();
}

/**
 * A TCP relay to a server (PostgreSQL, Redis) that can be cut and restored on the same port:
 * the dependency "going away" and "coming back" without touching the real server. With a one-way
 * delay it is a network between the two: every chunk leaves that long after it arrived, in order.
 * A delay of 0 goes through the same machinery (a baseline for the delay's own effect); without
 * one, the sockets are piped.
 */
export class TcpRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private delayLine: DelayLine | undefined;
  private roundTrips = 0;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly oneWayDelayMs?: number,
  ) {}

  static to(url: string, defaultPort: number, oneWayDelayMs?: number): TcpRelay {
    const target = new URL(url);
    return new TcpRelay(target.hostname, Number(target.port || defaultPort), oneWayDelayMs);
  }

  async start(): Promise<void> {
    if (this.oneWayDelayMs !== undefined) this.delayLine ??= new DelayLine(this.oneWayDelayMs);
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        // As PostgreSQL and pg do: a small write waiting for an ACK would add delay of its own.
        socket.setNoDelay(true);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      if (this.delayLine) {
        let serverSpokeLast = true;
        client.on('data', () => {
          if (serverSpokeLast) this.roundTrips += 1;
          serverSpokeLast = false;
        });
        upstream.on('data', () => (serverSpokeLast = true));
        this.forwardDelayed(this.delayLine, client, upstream);
        this.forwardDelayed(this.delayLine, upstream, client);
      } else {
        client.pipe(upstream).pipe(client);
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Cuts every open connection and stops accepting new ones. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
    await this.delayLine?.close();
    this.delayLine = undefined;
  }

  /** `url` with its host and port replaced by the relay's. */
  relayed(url: string): string {
    return urlOnLoopbackPort(url, this.port);
  }

  /** Since the last call; null without a delay. */
  takeStats(): RelayStats | null {
    if (!this.delayLine) return null;
    const roundTrips = this.roundTrips;
    this.roundTrips = 0;
    return { lateness: this.delayLine.takeLateness(), roundTrips };
  }

  /** See DelayLine.poll: deliveries on time to the microsecond, for a core's worth of CPU. */
  poll(on: boolean): void {
    this.delayLine?.poll(on);
  }

  /**
   * No back-pressure: pausing a socket would add delay the setting does not ask for, and the
   * bench's responses are small enough to queue in memory.
   */
  private forwardDelayed(delayLine: DelayLine, from: Socket, to: Socket): void {
    from.on('data', (chunk) => delayLine.push(() => !to.destroyed && to.write(chunk)));
    from.on('end', () => delayLine.push(() => to.end()));
    from.on('error', () => to.destroy());
  }
}
