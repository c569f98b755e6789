import { listAudit } from '@/lib/db/audit';

const describe: Record<string, string> = {
  view_conversation: 'viewed conversation',
  set_role: 'changed the role of user',
  ban_user: 'banned user',
  unban_user: 'unbanned user',
  revoke_share_link: 'revoked share link',
};

export default async function AdminAuditPage() {
  const entries = await listAudit();
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      {entries.length === 0 ? (
        <p className="text-zinc-500">No admin activity yet.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="audit-table">
          <thead className="text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-2">When</th>
              <th>Who</th>
              <th>What</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-t border-zinc-200 dark:border-zinc-800" data-testid="audit-row">
                <td className="py-2 pr-3 tabular-nums text-zinc-500">{e.createdAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</td>
                <td className="pr-3">{e.actorEmail}</td>
                <td>
                  {describe[e.action] ?? e.action} <span className="font-mono text-xs">{e.targetId}</span>
                  {e.detail ? <span className="ml-1 text-xs text-zinc-500">{JSON.stringify(e.detail)}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
