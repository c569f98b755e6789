/**
 * `npm run admin -- grant <email>` makes an account an admin; `revoke <email>` makes it an ordinary
 * account again; `list` shows the admins. For installations that cannot verify addresses by mail
 * (ADMIN_EMAILS needs a verified one): whoever runs this has the server's shell, so it is trusted.
 * Each change is in the audit log, by "console".
 */
import { useScriptDatabase } from './database.ts';

const [command, email] = process.argv.slice(2);
const usage = 'Usage: npm run admin -- grant <email> | revoke <email> | list';

async function main(): Promise<number> {
  if (!(command === 'list' || ((command === 'grant' || command === 'revoke') && email))) {
    console.error(usage);
    return 2;
  }
  const database = await useScriptDatabase({ startEmbedded: true });
  const { db } = await import('../lib/db/client.ts');
  const { setRoleByEmail } = await import('../lib/db/users.ts');
  try {
    if (command === 'list') {
      const admins = await db().user.findMany({ where: { role: 'admin', isAnonymous: false }, orderBy: { email: 'asc' }, select: { email: true } });
      console.log(admins.length ? admins.map((a) => a.email).join('\n') : 'No admins yet: npm run admin -- grant <email>');
      return 0;
    }
    const user = await setRoleByEmail(email, command === 'grant' ? 'admin' : 'user', 'console');
    if (!user) {
      console.error(`No account has the address ${email}: sign up with it first, then run this again.`);
      return 1;
    }
    console.log(command === 'grant' ? `${user.email} is an admin now (the console is at /admin).` : `${user.email} is no longer an admin.`);
    return 0;
  } finally {
    await db().$disconnect();
    await database.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('glimpse admin:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
