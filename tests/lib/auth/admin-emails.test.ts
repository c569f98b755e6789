import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auth } from '@/lib/auth/auth';
import { isBootstrapAdmin } from '@/lib/auth/admin-emails';
import { db } from '@/lib/db/client';

const email = `first-${randomUUID()}@example.com`;

beforeAll(() => {
  vi.stubEnv('ADMIN_EMAILS', `someone@example.com, ${email.toUpperCase()}`);
  vi.stubEnv('AUTH_SECRET', 'admin-emails-test-secret-0123456789abcdef');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await db().$disconnect();
});

describe('ADMIN_EMAILS', () => {
  it('counts a verified account’s address only', () => {
    expect(isBootstrapAdmin({ email, emailVerified: true })).toBe(true);
    expect(isBootstrapAdmin({ email, emailVerified: false })).toBe(false);
    expect(isBootstrapAdmin({ email, emailVerified: true, isAnonymous: true })).toBe(false);
    expect(isBootstrapAdmin({ email: 'other@example.com', emailVerified: true })).toBe(false);
  });

  it('signing up under an admin’s address makes no admin; verifying the address does', async () => {
    const { user } = await auth().api.signUpEmail({ body: { email, password: 'a long enough password', name: 'First' } });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe('user');

    const context = await auth().$context;
    await context.internalAdapter.updateUser(user.id, { emailVerified: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe('admin');
    const audit = await db().auditLog.findFirst({ where: { targetId: user.id } });
    expect(audit).toMatchObject({ actorId: 'ADMIN_EMAILS', action: 'set_role' });
  });
});
