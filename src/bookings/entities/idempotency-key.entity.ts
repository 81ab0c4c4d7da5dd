import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';

/** The stored answer to a booking request sent with an Idempotency-Key (migration IdempotencyKeys1795761600000 says how it is used). */
@Entity('idempotency_keys')
@Index('idempotency_keys_expires_at_idx', ['expiresAt'])
@Check('idempotency_keys_key_check', 'length(key) BETWEEN 1 AND 255')
@Check('idempotency_keys_request_hash_check', `request_hash ~ '^[0-9a-f]{64}$'`)
@Check('idempotency_keys_expiry_check', 'expires_at > created_at')
export class IdempotencyKey {
  @PrimaryColumn('integer', { name: 'user_id', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  userId: number;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'idempotency_keys_user_id_fkey' })
  user: User;

  /** sha256 (hex) of the request the key was first used with. */
  @Column('text', { name: 'request_hash' })
  requestHash: string;

  /** The 201 body; null only inside the transaction that claimed the key. */
  @Column('jsonb', { name: 'response_body', nullable: true })
  responseBody: unknown;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt: Date;
}
