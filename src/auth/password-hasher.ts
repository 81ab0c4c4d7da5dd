import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/**
 * Argon2id with the library defaults (19 MiB, 2 passes, 1 lane: OWASP's recommended minimum), the
 * same parameters the seed uses for the demo logins.
 */
@Injectable()
export class PasswordHasher {
  /**
   * Verified against when there is no real hash to check (unknown email, refused login), so a
   * wrong email costs as much time as a wrong password and response timing reveals no account.
   */
  private readonly decoyHash = hash(randomBytes(32).toString('base64url'));

  hash(password: string): Promise<string> {
    return hash(password);
  }

  /** False for a missing or unreadable hash too, after the same work as a real check. */
  async matches(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash !== undefined) {
      try {
        return await verify(passwordHash, password);
      } catch {
        // Not an argon2 hash (an account that cannot log in): fall through to the decoy.
      }
    }
    await verify(await this.decoyHash, password);
    return false;
  }
}
