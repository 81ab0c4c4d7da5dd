import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ProblemException } from '../common/problem-details';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * draft-ietf-httpapi-idempotency-key-header: the value is a Structured Field String ("…"). Bare
 * tokens are accepted too, since most clients send a UUID without quotes. Printable ASCII only,
 * without quote or backslash, at most 255 characters.
 */
const QUOTED_KEY = /^"([\x20\x21\x23-\x5b\x5d-\x7e]{1,255})"$/;
const BARE_KEY = /^[\x21\x23-\x5b\x5d-\x7e]{1,255}$/;

/** Node joins repeated headers with ", ", which fails both patterns: two keys are a 400 too. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const key = QUOTED_KEY.exec(value)?.[1] ?? (BARE_KEY.test(value) ? value : undefined);
  if (key === undefined) {
    throw ProblemException.validation([
      { parameter: IDEMPOTENCY_KEY_HEADER, message: 'Idempotency-Key must be one string of 1 to 255 printable ASCII characters, e.g. a UUID' },
    ]);
  }
  return key;
}

/** The request's Idempotency-Key (undefined when it sent none); a malformed one is a 400 naming the header. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined => {
  const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
  return parseIdempotencyKey(request.headers['idempotency-key']);
});

/** The fingerprint a key is bound to: the same key with another fingerprint is another request (422). */
export function requestFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}
