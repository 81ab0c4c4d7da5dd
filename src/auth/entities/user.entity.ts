import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { UserRole } from '../authenticated-user';

/**
 * An account. Emails are unique in any letter case through the expression index on lower(email),
 * which belongs to migration InitialSchema1764226800000 (synchronize: false keeps it out of schema diffs).
 */
@Entity('users')
@Index('users_email_lower_key', { synchronize: false })
@Check('users_email_check', `email = btrim(email) AND email <> ''`)
@Check('users_role_check', `role IN ('user', 'host', 'admin')`)
export class User {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'users_pkey' })
  id: number;

  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text', { default: 'user' })
  role: UserRole;

  @Column('timestamptz', { name: 'created_at', default: () => 'now()' })
  createdAt: Date;
}
