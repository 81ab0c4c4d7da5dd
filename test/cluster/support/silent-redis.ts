import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

export interface ReceivedCommand {
  name: string;
  at: number;
}

/**
 * A "Redis" that accepts connections and reads what clients send but never answers: the hung
 * server (or black-holed network path) a client can only give up on by its own timeout. Given a
 * real Redis, it first relays to it, connections and all, until silence(): then the same open
 * connections (and any new one) stop answering mid-stream, as a Redis that hangs while in use.
 * Every command that reaches it while silent is recorded (RESP arrays; the first element names it).
 */
export class SilentRedis {
  readonly received: ReceivedCommand[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  private silent: boolean;

  private constructor(private readonly upstream: URL | undefined) {
    this.silent = upstream === undefined;
    this.server = createServer((client) => this.accept(client));
  }

  /** Silent from the start, or a relay to `redisUrl` until silence(). */
  static async start(redisUrl?: string): Promise<SilentRedis> {
    const redis = new SilentRedis(redisUrl === undefined ? undefined : new URL(redisUrl));
    await new Promise<void>((resolve) => redis.server.listen(0, '127.0.0.1', resolve));
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on nothing is answered or passed on; connections stay open. */
  silence(): void {
    this.silent = true;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    const upstream = this.silent || !this.upstream ? undefined : connect(Number(this.upstream.port), this.upstream.hostname);
    for (const socket of upstream ? [client, upstream] : [client]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    upstream?.on('data', (answer) => {
      if (!this.silent) client.write(answer);
    });
    let unparsed = '';
    client.on('data', (request) => {
      if (!this.silent) {
        upstream?.write(request);
        return;
      }
      unparsed = this.record(unparsed + request.toString('latin1'));
    });
  }

  /** Records every complete command at the start of `buffer` and returns the rest (an incomplete one). */
  private record(buffer: string): string {
    let rest = buffer;
    for (let command = parseCommand(rest); command; command = parseCommand(rest)) {
      this.received.push({ name: command.name, at: Date.now() });
      rest = rest.slice(command.length);
    }
    return rest;
  }
}

/** One RESP array of bulk strings (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`): its first element and its length; undefined while incomplete. */
function parseCommand(buffer: string): { name: string; length: number } | undefined {
  const header = /^\*(\d+)\r\n/.exec(buffer);
  if (!header) return undefined;
  let offset = header[0].length;
  const parts: string[] = [];
  for (let index = 0; index < Number(header[1]); index++) {
    const bulk = /^\$(\d+)\r\n/.exec(buffer.slice(offset));
    if (!bulk) return undefined;
    const start = offset + bulk[0].length;
    const end = start + Number(bulk[1]);
    if (buffer.length < end + 2) return undefined;
    parts.push(buffer.slice(start, end));
    offset = end + 2;
  }
  return { name: (parts[0] ?? '').toUpperCase(), length: offset };
}
