import { HttpStatus, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ProblemException } from '../common/problem-details';
import { DEMO_LOGINS } from './demo-logins';
import { AccessTokens } from './access-tokens';
import { AccountLoginLimit } from './attempt-limits';
import { AuthRepository } from './auth.repository';
import { AccessTokenDto } from './dto/access-token.dto';
import { LoginRequest } from './dto/login.request';
import { RegisteredUserDto } from './dto/registered-user.dto';
import { RegisterRequest } from './dto/register.request';
import { PasswordHasher } from './password-hasher';

/** SPEC §3: the demo seed's logins have well-known passwords, so production never accepts them. */
const DEMO_LOGIN_EMAILS = new Set<string>(DEMO_LOGINS.map((login) => login.email));

@Injectable()
export class AuthService {
  constructor(
    private readonly repository: AuthRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: AccessTokens,
    private readonly accountLimit: AccountLoginLimit,
    private readonly config: AppConfig,
  ) {}

  async register(request: RegisterRequest): Promise<RegisteredUserDto> {
    const passwordHash = await this.passwords.hash(request.password);
    const user = await this.repository.insertUser({ email: request.email, name: request.name, passwordHash });
    if (!user) {
      throw new ProblemException(HttpStatus.CONFLICT, {
        type: '/problems/email-taken',
        title: 'Email already registered',
        detail: 'An account with this email already exists; log in instead',
      });
    }
    return user;
  }

  /**
   * One answer for every failure, and the same argon2 work for an unknown email as for a known
   * one (PasswordHasher's decoy), so neither the body nor the timing tells which emails exist.
   * The account's attempt is counted first, so a locked account costs no query and no hash.
   */
  async login(request: LoginRequest): Promise<AccessTokenDto> {
    await this.accountLimit.countAttempt(request.email);
    const user = this.isRefusedDemoLogin(request.email) ? undefined : await this.repository.findCredentials(request.email);
    const valid = await this.passwords.matches(user?.passwordHash, request.password);
    if (!user || !valid) {
      throw new ProblemException(HttpStatus.UNAUTHORIZED, {
        type: '/problems/invalid-credentials',
        title: 'Invalid credentials',
        detail: 'The email or the password is wrong',
      });
    }
    await this.accountLimit.succeeded(request.email);
    return { ...this.tokens.issue(user), tokenType: 'Bearer' };
  }

  private isRefusedDemoLogin(email: string): boolean {
    return this.config.isProduction && DEMO_LOGIN_EMAILS.has(email.trim().toLowerCase());
  }
}
