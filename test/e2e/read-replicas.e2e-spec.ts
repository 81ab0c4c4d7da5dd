import { withClient } from '../../src/database/postgres-admin';
import { replicaPairUnavailable, ReplicaPair, startReplicaPair, waitForReplay } from '../support/replica-pair';

const unavailable = replicaPairUnavailable();
if (unavailable) console.warn(unavailable);
const describeWithServers = unavailable ? describe.skip : describe;

describeWithServers('read replicas (a real primary and a streaming hot standby)', () => {
  let pair: ReplicaPair;

  beforeAll(async () => {
    pair = await startReplicaPair();
  }, 60_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it('streams the primary\'s writes to a read-only standby', async () => {
    await withClient(pair.primary.databaseUrl, (client) => client.query('CREATE TABLE streamed (value int); INSERT INTO streamed VALUES (42)'));
    await waitForReplay(pair);
    const [row] = await withClient(pair.replica.databaseUrl, async (client) => (await client.query('SELECT value, pg_is_in_recovery() AS standby FROM streamed')).rows);
    expect(row).toEqual({ value: 42, standby: true });
    await expect(withClient(pair.replica.databaseUrl, (client) => client.query('INSERT INTO streamed VALUES (1)'))).rejects.toThrow(/read-only transaction/);
  });
});
