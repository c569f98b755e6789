import { beforeAll, describe, expect, it } from 'vitest';
import { issueIdentity, verifyIdentity } from '@/lib/auth/identity';

beforeAll(() => {
  process.env.AUTH_SECRET = 'test-secret-for-identity';
});

describe('identity cookie', () => {
  it('round-trips a freshly issued identity', () => {
    const { userId, cookie } = issueIdentity();
    expect(verifyIdentity(cookie)).toBe(userId);
  });

  it('rejects a cookie whose user id was swapped', () => {
    const { cookie } = issueIdentity();
    const other = issueIdentity();
    const forged = `${other.userId}.${cookie.split('.').at(-1)}`;
    expect(verifyIdentity(forged)).toBeNull();
  });

  it.each(['', 'no-dot', '.onlysig', 'abc.', 'abc.def'])('rejects malformed value %j', (value) => {
    expect(verifyIdentity(value)).toBeNull();
  });

  it('rejects nothing at all', () => {
    expect(verifyIdentity(undefined)).toBeNull();
  });
});
