import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { GenerateSql } from '../common/generate-sql.decorator';
import type { UserRole } from './authenticated-user';
import type { RegisteredUserDto } from './dto/registered-user.dto';
import { User } from './entities/user.entity';

export interface UserCredentials {
  id: number;
  role: UserRole;
  passwordHash: string;
}

@Injectable()
export class AuthRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /**
   * The new user, or undefined when the email is taken in any letter case. The unique index on
   * lower(email) decides, so two concurrent registrations of one address cannot both succeed.
   */
  @GenerateSql({ name: 'a new address', params: [{ email: 'ana@example.com', name: 'Ana García', passwordHash: '$argon2id$…' }] })
  async insertUser(user: { email: string; name: string; passwordHash: string }): Promise<RegisteredUserDto | undefined> {
    // ON CONFLICT DO NOTHING without a target: besides the generated key, the one unique index of
    // users is lower(email), so the only conflict possible is a taken address (pinned by a test in
    // test/e2e/auth.e2e-spec.ts: a new unique index fails it rather than being swallowed here).
    const inserted = await this.users
      .createQueryBuilder()
      .insert()
      .into(User)
      .values(user)
      .orIgnore()
      .returning(['id', 'email', 'name', 'role'])
      .updateEntity(false)
      .execute();
    return (inserted.raw as RegisteredUserDto[])[0];
  }

  /** Looked up case-insensitively through the lower(email) unique index. */
  @GenerateSql({ name: 'by email, any letter case', params: ['Ana@Example.com'] })
  async findCredentials(email: string): Promise<UserCredentials | undefined> {
    return this.users
      .createQueryBuilder('user')
      .select('user.id', 'id')
      .addSelect('user.role', 'role')
      .addSelect('user.passwordHash', 'passwordHash')
      .where('lower(user.email) = lower(:email)', { email })
      .getRawOne<UserCredentials>();
  }
}
