import { AdminTable, adminRowClass } from '@/components/admin/admin-table';
import { ActionButton } from '@/components/admin/action-button';
import { relativeTime } from '@/components/ui/format';
import { changeBan, changeRole } from '@/app/admin/actions';
import { requireAdmin } from '@/lib/auth/admin';
import { listUsers } from '@/lib/db/admin';

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const admin = await requireAdmin();
  const q = (await searchParams).q?.trim().slice(0, 200) || undefined;
  const users = await listUsers(admin, q);
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">Users</h1>
      <form className="flex gap-2">
        <input name="q" defaultValue={q} placeholder="Email contains… (guests included when searching)" className="w-80 rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
        <button className="rounded-lg bg-zinc-900 px-3 py-1.5 text-sm text-white dark:bg-zinc-100 dark:text-zinc-900">Search</button>
      </form>
      <AdminTable testId="users-table" columns={['Email', 'Role', 'Conversations', 'Joined', '']} isEmpty={users.length === 0} empty="No users match.">
        {users.map((u) => (
          <tr key={u.id} className={adminRowClass} data-testid="user-row">
            <td className="py-2 pr-3">
              {u.isAnonymous ? <span className="text-zinc-500">guest</span> : u.email}
              {u.banned && <span className="ml-2 rounded bg-red-100 px-1.5 text-xs text-red-700 dark:bg-red-950 dark:text-red-300">banned</span>}
            </td>
            <td>{u.role}</td>
            <td>{u._count.conversations}</td>
            <td className="text-zinc-500">{relativeTime(u.createdAt.toISOString())}</td>
            <td className="space-x-2 py-2 text-right">
              {u.id !== admin.id && !u.isAnonymous && (
                <ActionButton
                  testId="toggle-role"
                  label={u.role === 'admin' ? 'Make user' : 'Make admin'}
                  action={changeRole.bind(null, u.id, u.role === 'admin' ? 'user' : 'admin')}
                />
              )}
              {u.id !== admin.id && (
                <ActionButton
                  testId="toggle-ban"
                  danger={!u.banned}
                  label={u.banned ? 'Unban' : 'Ban'}
                  confirm={u.banned ? undefined : `Ban ${u.email}? Their sessions end now.`}
                  action={changeBan.bind(null, u.id, !u.banned)}
                />
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
