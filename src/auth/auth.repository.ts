import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserRole } from './authenticated-user';
import type { RegisteredUserDto } from './dto/registered-user.dto';

export interface UserCredentials {
  id: number;
  role: UserRole;
  passwordHash: string;
}

@Injectable()
export class AuthRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The new user, or undefined when the email is taken in any letter case. The unique index on
   * lower(email) decides, so two concurrent registrations of one address cannot both succeed.
   */
  async insertUser(user: { email: string; name: string; passwordHash: string }): Promise<RegisteredUserDto | undefined> {
    const rows: RegisteredUserDto[] = await this.dataSource.query(
      `
      INSERT INTO users (email, name, password_hash)
      VALUES ($1, $2, $3)
      ON CONFLICT ((lower(email))) DO NOTHING
      RETURNING id, email, name, role`,
      [user.email, user.name, user.passwordHash],
    );
    return rows[0];
  }

  /** Looked up case-insensitively through the lower(email) unique index. */
  async findCredentials(email: string): Promise<UserCredentials | undefined> {
    const rows: UserCredentials[] = await this.dataSource.query(
      `SELECT id, role, password_hash AS "passwordHash" FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return rows[0];
  }
}
