import { AdminTable, adminRowClass } from '@/components/admin/admin-table';
import { ActionButton } from '@/components/admin/action-button';
import { relativeTime } from '@/components/ui/format';
import { revokeShare } from '@/app/admin/actions';
import { listAllShareLinks } from '@/lib/db/admin';
import { requireAdmin } from '@/lib/auth/admin';

function state(link: { revokedAt: Date | null; expiresAt: Date | null }): string {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt && link.expiresAt < new Date()) return 'expired';
  return 'live';
}

export default async function AdminSharedPage() {
  const admin = await requireAdmin();
  const links = await listAllShareLinks(admin);
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">Shared links</h1>
      <AdminTable testId="admin-share-table" columns={['Conversation', 'Owner', 'State', 'Views', 'Created', '']} isEmpty={links.length === 0} empty="Nobody has shared anything yet.">
        {links.map((link) => (
          <tr key={link.id} className={adminRowClass}>
            <td className="py-2 pr-3">{link.conversation.title}</td>
            <td className="pr-3">{link.user.email}</td>
            <td>{state(link)}</td>
            <td>{link.views}</td>
            <td className="text-zinc-500">{relativeTime(link.createdAt.toISOString())}</td>
            <td className="text-right">
              {state(link) === 'live' && <ActionButton danger label="Revoke" confirm="Revoke this link? Its page and images stop working." action={revokeShare.bind(null, link.id)} />}
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
