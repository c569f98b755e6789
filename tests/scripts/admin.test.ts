import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { ensureTestUser } from '@/tests/support/users';

/** `npm run admin -- …` as an operator runs it; the exit code and what it printed. */
async function admin(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', 'scripts/admin.ts', ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

afterAll(async () => {
  await db().$disconnect();
});

describe('npm run admin', () => {
  it('grants and revokes the role by email, in the audit log as the console', async () => {
    const id = `console-grant-${randomUUID()}`;
    await ensureTestUser(id, { anonymous: false });
    const email = `${id}@test.glimpse.invalid`;

    const granted = await admin(['grant', email.toUpperCase()]);
    expect(granted).toMatchObject({ code: 0, out: expect.stringContaining(`${email} is an admin now`) });
    expect((await db().user.findUniqueOrThrow({ where: { id } })).role).toBe('admin');
    expect((await admin(['list'])).out).toContain(email);

    expect((await admin(['revoke', email])).code).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id } })).role).toBe('user');
    const audit = await db().auditLog.findMany({ where: { targetId: id }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((a) => [a.actorId, a.action, (a.detail as { role: string }).role])).toEqual([
      ['console', 'set_role', 'admin'],
      ['console', 'set_role', 'user'],
    ]);
  }, 120_000);

  it('refuses an address no account has, and a guest’s, changing nothing', async () => {
    expect(await admin(['grant', `nobody-${randomUUID()}@example.com`])).toMatchObject({ code: 1, out: expect.stringContaining('sign up with it first') });
    const guest = `console-guest-${randomUUID()}`;
    await ensureTestUser(guest, { anonymous: true });
    expect((await admin(['grant', `${guest}@test.glimpse.invalid`])).code).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: guest } })).role).not.toBe('admin');
    expect((await admin(['promote'])).code).toBe(2);
  }, 120_000);

  it('opens the embedded database itself when no app is running and no DATABASE_URL is set', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-admin-script-'));
    try {
      const listed = await admin(['list'], { DATABASE_URL: '', DATA_DIR: dataDir });
      expect(listed).toMatchObject({ code: 0, out: expect.stringContaining('No admins yet') });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
