import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random token (sessions' CSRF tokens, the login form's double-submit token). */
export function newToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Constant-time comparison of what the form sent with what the session holds. Both are hashed
 * first so their lengths match and the length of the secret leaks nothing either.
 */
export function tokensMatch(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string' || !sent || !expected) return false;
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
