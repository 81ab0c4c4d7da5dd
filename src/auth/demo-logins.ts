import type { UserRole } from './authenticated-user';

/**
 * SPEC §3 demo logins: seeded with the demo scale only. Their passwords are published, so auth
 * refuses them in production whatever the database holds.
 */
export const DEMO_LOGINS = [
  { email: 'demo@example.com', password: 'demo-password', name: 'Demo User', role: 'user' },
  { email: 'admin@example.com', password: 'admin-password', name: 'Demo Admin', role: 'admin' },
] as const satisfies ReadonlyArray<{ email: string; password: string; name: string; role: UserRole }>;
