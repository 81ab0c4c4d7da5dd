import { verify } from '@node-rs/argon2';
import { PasswordHasher } from './password-hasher';

jest.mock('@node-rs/argon2', () => {
  const actual = jest.requireActual('@node-rs/argon2');
  return { ...actual, verify: jest.fn(actual.verify) };
});

/*
 * Whether an email exists must not show in the response time, so every failing path runs one
 * full argon2 verification. Counted rather than timed: timings are noise on a shared CI machine.
 */
describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();
  const verifyCalls = jest.mocked(verify);

  beforeEach(() => verifyCalls.mockClear());

  it('accepts the right password and refuses a wrong one, one verification each', async () => {
    const stored = await hasher.hash('correct horse');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await hasher.matches(stored, 'correct horse')).toBe(true);
    expect(await hasher.matches(stored, 'wrong horse')).toBe(false);
    expect(verifyCalls).toHaveBeenCalledTimes(2);
  });

  it('verifies against a decoy hash when there is no account', async () => {
    expect(await hasher.matches(undefined, 'whatever')).toBe(false);
    expect(verifyCalls).toHaveBeenCalledTimes(1);
    expect(verifyCalls.mock.calls[0][0]).toMatch(/^\$argon2id\$/);
  });

  it('verifies against the decoy when the stored value is not an argon2 hash', async () => {
    expect(await hasher.matches('factory-user-without-password', 'whatever')).toBe(false);
    const [first, second] = verifyCalls.mock.calls.map(([hashed]) => hashed);
    expect(first).toBe('factory-user-without-password');
    expect(second).toMatch(/^\$argon2id\$/);
    await expect(verifyCalls.mock.results[1].value).resolves.toBe(false);
  });
});
