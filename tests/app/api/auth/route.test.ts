import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET, POST } from '@/app/api/auth/[...all]/route';
import { db } from '@/lib/db/client';
import { ensureTestUser } from '@/tests/support/users';

const origin = 'http://localhost:3000';
const email = `auth-route-admin-${randomUUID()}@example.com`;
const password = 'a long enough password';
let cookie = '';
let adminId = '';
// Someone the plugin's endpoints would act on: a real account, so a refusal is the route's, not a missing user.
const target = `auth-route-target-${randomUUID()}`;

const post = (path: string, body: object, headers: Record<string, string> = {}) =>
  POST(new Request(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin, cookie, ...headers }, body: JSON.stringify(body) }));

beforeAll(async () => {
  vi.stubEnv('AUTH_SECRET', 'auth-route-test-secret-0123456789abcdef');
  const signedUp = await post('/api/auth/sign-up/email', { email, password, name: 'Admin' });
  expect(signedUp.status).toBe(200);
  adminId = ((await signedUp.json()) as { user: { id: string } }).user.id;
  await db().user.update({ where: { id: adminId }, data: { role: 'admin' } });
  await ensureTestUser(target, { anonymous: false });
  cookie = signedUp.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await db().$disconnect();
});

describe('/api/auth serves only the endpoints the app uses', () => {
  it('sessions, sign-in and sign-out work', async () => {
    const session = await GET(new Request(`${origin}/api/auth/get-session`, { headers: { cookie } }));
    expect(((await session.json()) as { user: { email: string; role: string } }).user).toMatchObject({ email, role: 'admin' });
    const signedIn = await post('/api/auth/sign-in/email', { email, password });
    expect(signedIn.status).toBe(200);
  });

  // Even for an admin: the plugin's powers would bypass the console's audit log.
  it.each([
    ['POST', '/api/auth/admin/list-users', {}],
    ['GET', '/api/auth/admin/list-users', {}],
    ['POST', '/api/auth/admin/impersonate-user', { userId: target }],
    ['POST', '/api/auth/admin/set-user-password', { userId: target, newPassword: 'another long password' }],
    ['POST', '/api/auth/admin/set-role', { userId: target, role: 'admin' }],
    ['POST', '/api/auth/admin/ban-user', { userId: target }],
    ['POST', '/api/auth/admin/create-user', { email: 'new@example.com', password, name: 'New' }],
    ['POST', '/api/auth/admin/remove-user', { userId: target }],
    ['POST', '/api/auth/update-user', { name: 'Renamed' }],
    ['POST', '/api/auth/change-email', { newEmail: 'someone-else@example.com' }],
    ['GET', '/api/auth/list-sessions', {}],
    ['POST', '/api/auth/sign-in/email/', { email, password }],
    ['POST', '/api/auth/admin/list%2Dusers', {}],
    ['POST', '/api/auth//admin/list-users', {}],
  ] as const)('%s %s answers 404', async (method, path, body) => {
    const response =
      method === 'GET' ? await GET(new Request(`${origin}${path}`, { headers: { cookie } })) : await post(path, body);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(email);
  });

  it('nothing those calls asked for happened', async () => {
    expect(await db().user.count({ where: { email: 'new@example.com' } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: adminId } })).email).toBe(email);
    expect(await db().user.findUniqueOrThrow({ where: { id: target } })).toMatchObject({ role: 'user', banned: false });
    expect(await db().account.count({ where: { userId: target } }), 'no password was set').toBe(0);
  });
});
