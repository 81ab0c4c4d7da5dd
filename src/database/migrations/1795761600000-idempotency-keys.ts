import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The responses of POST /v1/venues/:idOrSlug/bookings requests sent with an Idempotency-Key, kept
 * per user for at least IDEMPOTENCY_KEY_TTL_S so a retry gets the original answer.
 *
 * A row is inserted by the request that claims the key and completed (response body set) by the
 * statement that inserts the booking, in the same transaction: other sessions only ever see
 * completed rows, and a crash before COMMIT leaves neither the booking nor the row. A request that
 * fails rolls back and leaves the key unused. "Still in flight" is a transaction-scoped advisory
 * lock on (user_id, hashtext(key)), not a row state, so it dies with the session that held it.
 */
export class IdempotencyKeys1795761600000 implements MigrationInterface {
  name = 'IdempotencyKeys1795761600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        user_id         integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        -- sha256 (hex) of the request the key was first used with; another request under the key is a 422.
        request_hash    text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
        -- The 201 body the key's request was answered with. Only a request that created a booking
        -- commits its row, so the status is always 201; NULL only inside the claiming transaction.
        response_body   jsonb,
        created_at      timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL,
        PRIMARY KEY (user_id, key),
        CONSTRAINT idempotency_keys_expiry_check CHECK (expires_at > created_at)
      );
      -- The periodic purge deletes by expiry.
      CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
  }
}
