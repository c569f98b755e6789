import { AdminTable, adminRowClass } from '@/components/admin/admin-table';
import { listAudit, type AuditAction } from '@/lib/db/audit';
import { requireAdmin } from '@/lib/auth/admin';

// Every action has its words: a new one fails the type check until it is described here.
const describe: Record<AuditAction, string> = {
  view_conversation: 'viewed conversation',
  view_media: 'viewed media',
  download_transcript: 'downloaded the transcript of',
  set_role: 'changed the role of user',
  ban_user: 'banned user',
  unban_user: 'unbanned user',
  revoke_share_link: 'revoked share link',
  revoke_api_key: 'revoked API key',
  cancel_job: 'canceled the job of',
  retry_job: 'retried the job of',
  test_model_connection: 'tested the connection to model',
};

export default async function AdminAuditPage() {
  const admin = await requireAdmin();
  const entries = await listAudit(admin);
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <AdminTable testId="audit-table" columns={['When', 'Who', 'What']} isEmpty={entries.length === 0} empty="No admin activity yet.">
        {entries.map((e) => (
          <tr key={e.id} className={adminRowClass} data-testid="audit-row">
            <td className="py-2 pr-3 tabular-nums text-zinc-500">{e.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</td>
            <td className="pr-3">{e.actorEmail}</td>
            <td>
              {describe[e.action as AuditAction] ?? e.action} <span className="font-mono text-xs">{e.targetId}</span>
              {e.detail ? <span className="ml-1 text-xs text-zinc-500">{JSON.stringify(e.detail)}</span> : null}
            </td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
