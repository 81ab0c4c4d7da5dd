import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__TEST_POSTGRES__;
  if (!server) return;
  await server.stop();
  if (server.dataDir) await rm(dirname(server.dataDir), { recursive: true, force: true });
}
