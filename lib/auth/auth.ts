import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { nextCookies } from 'better-auth/next-js';
import { admin, anonymous } from 'better-auth/plugins';
import { authSecret } from '@/lib/auth/secret';
import { db } from '@/lib/db/client';
import { adoptGuestData, setRoleByEmail } from '@/lib/db/users';
import { userTypeOf } from '@/lib/auth/quotas';
import { isBootstrapAdmin } from '@/lib/auth/admin-emails';

/**
 * Accounts (better-auth): every browser starts as a guest (the anonymous plugin, signed in by the
 * proxy on the first request); signing up or in hands the guest's conversations and media to the
 * account. The admin plugin brings roles and keeps banned people from signing in; its HTTP
 * endpoints are not served (see app/api/auth/[...all]/route.ts).
 */
function createAuth() {
  return betterAuth({
    secret: authSecret(),
    baseURL: process.env.BETTER_AUTH_URL || undefined,
    // Same-origin requests only: the app is reached under whatever host the person typed
    // (localhost, 127.0.0.1, a LAN name), so the trusted origin is the one the request came to.
    trustedOrigins: (request) => [requestOrigin(request), process.env.BETTER_AUTH_URL],
    database: prismaAdapter(db(), { provider: 'postgresql' }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 400, updateAge: 60 * 60 * 24 },
    telemetry: { enabled: false },
    // Password guessing is limited per address; the default (3 tries per 10 s) is tight for a
    // household or office behind one IP, so it is a setting.
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: passwordAttemptsPerMinute() },
        '/sign-up/email': { window: 60, max: passwordAttemptsPerMinute() },
      },
    },
    databaseHooks: {
      user: {
        // The first admins come from configuration, once their address is verified; later ones
        // are promoted in the console or with `npm run admin -- grant`.
        create: {
          before: async (user) => (isBootstrapAdmin(user) ? { data: { ...user, role: 'admin' } } : undefined),
        },
        update: {
          after: async (user) => {
            if (isBootstrapAdmin(user) && userTypeOf(user as { role?: string | null }) !== 'admin') await setRoleByEmail(user.email, 'admin', 'ADMIN_EMAILS');
          },
        },
      },
    },
    plugins: [
      anonymous({
        emailDomainName: 'guest.glimpse.invalid',
        generateName: () => 'Guest',
        onLinkAccount: async ({ anonymousUser, newUser }) => {
          await adoptGuestData(anonymousUser.user.id, newUser.user.id);
        },
      }),
      admin(),
      nextCookies(),
    ],
  });
}

function passwordAttemptsPerMinute(): number {
  return Number(process.env.AUTH_ATTEMPTS_PER_MINUTE) || 10;
}

function requestOrigin(request: Request | undefined): string | undefined {
  const host = request?.headers.get('x-forwarded-host') ?? request?.headers.get('host');
  if (!host) return undefined;
  const proto = request?.headers.get('x-forwarded-proto') ?? new URL(request!.url).protocol.replace(':', '');
  return `${proto}://${host}`;
}

type Auth = ReturnType<typeof createAuth>;
const holder = globalThis as unknown as { glimpseAuth?: Auth };

/** Built on first use: it needs the database and the secret, which are not there at build time. */
export function auth(): Auth {
  return (holder.glimpseAuth ??= createAuth());
}
