import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { DayNumber, EpochSeconds } from '../calendar';
import { FIRST_NAMES, LAST_NAMES } from '../data/texts';
import { randomFor } from '../random';
import type { Scale } from '../scales';
import { defineTable } from '../table-writer';
import { pastMoment } from './seed-context';
import type { UserRole } from '../../auth/authenticated-user';
import { DEMO_LOGINS } from '../../auth/demo-logins';

export interface UserRow {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
  role: UserRole;
  createdAt: EpochSeconds;
}

export const usersTable = defineTable<UserRow>('users', {
  id: 'integer',
  email: 'text',
  name: 'text',
  passwordHash: 'text',
  role: 'text',
  createdAt: 'timestamptz',
});

export interface SeedPasswords {
  /** One hash for every generated user: of a random password nobody knows, so none can log in. */
  unusable: string;
  /** Hashes of DEMO_LOGINS' passwords, in the same order; empty when they are not seeded. */
  demoLogins: string[];
}

/**
 * Argon2 is deliberately slow (tens of milliseconds a hash), so the thousands of generated users
 * share one hash instead of getting one each. Salts are random, so password_hash is the one
 * column that differs between two runs of the same scale.
 */
export async function hashSeedPasswords(withDemoLogins: boolean): Promise<SeedPasswords> {
  const [unusable, ...demoLogins] = await Promise.all([
    hash(randomBytes(32).toString('base64url')),
    ...(withDemoLogins ? DEMO_LOGINS.map((login) => hash(login.password)) : []),
  ]);
  return { unusable, demoLogins };
}

export interface SeededUsers {
  rows: UserRow[];
  hostIdsByCity: number[][];
  guestIds: number[];
}

/** Demo logins first (when wanted), then the hosts, each living in one city, then the guests. */
export function seedUsers(scale: Scale, today: DayNumber, passwords: SeedPasswords): SeededUsers {
  const rows: UserRow[] = passwords.demoLogins.map((passwordHash, index) => {
    const { email, name, role } = DEMO_LOGINS[index];
    return { id: index + 1, email, name, passwordHash, role, createdAt: pastMoment(randomFor(scale.name, 'user', email), today, 30, 400) };
  });
  const addUser = (role: UserRole, emailPrefix: string, number: number): number => {
    const random = randomFor(scale.name, 'user', emailPrefix, number);
    const id = rows.length + 1;
    rows.push({
      id,
      email: `${emailPrefix}-${number}@example.com`,
      name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
      passwordHash: passwords.unusable,
      role,
      createdAt: pastMoment(random, today, 30, 1500),
    });
    return id;
  };

  const hostIdsByCity: number[][] = Array.from({ length: scale.cityCount }, () => []);
  for (let number = 1; number <= scale.hostCount; number++) {
    hostIdsByCity[(number - 1) % scale.cityCount].push(addUser('host', 'host', number));
  }
  // The demo user books, reviews and favourites like any guest, so its screens have content.
  const guestIds = rows.filter((row) => row.role === 'user').map((row) => row.id);
  for (let number = 1; number <= scale.guestCount; number++) {
    guestIds.push(addUser('user', 'guest', number));
  }
  return { rows, hostIdsByCity, guestIds };
}
