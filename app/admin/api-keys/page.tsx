import { revokeKey } from '@/app/admin/actions';
import { ActionButton } from '@/components/admin/action-button';
import { AdminTable, adminRowClass } from '@/components/admin/admin-table';
import { formatCount, formatUsd, relativeTime } from '@/components/ui/format';
import { requireAdmin } from '@/lib/auth/admin';
import { usageSince, USAGE_DAYS } from '@/lib/auth/api-keys';
import { perMinute } from '@/lib/auth/rate-limit';
import { listApiKeysForAdmin } from '@/lib/db/api-keys';

export default async function AdminApiKeysPage() {
  const admin = await requireAdmin();
  const keys = await listApiKeysForAdmin(admin, usageSince(new Date()));
  const defaultLimit = perMinute('apiKey');
  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="mt-1 text-sm text-zinc-500">
          Requests, errors, tokens and cost over the last {USAGE_DAYS} days, per key, jobs’ later spending included. Revoke one key here, or ban its owner to stop all their keys at
          once.
        </p>
      </div>
      {/* Eleven columns: on a narrow screen the table scrolls rather than squeezing every cell. */}
      <div className="overflow-x-auto">
        <AdminTable
          testId="admin-api-keys-table"
          columns={['Key', 'Owner', 'State', 'Limit / min', 'Requests', 'Errors', 'Tokens', 'Cost', 'Last used', 'Created', '']}
          isEmpty={keys.length === 0}
          empty="Nobody has created an API key yet."
        >
          {keys.map((key) => (
            <tr key={key.id} className={adminRowClass} data-testid="admin-api-key-row">
              <td className="py-2 pr-3">
                <span className="font-medium">{key.name}</span> <code className="font-mono text-xs text-zinc-500">glk_{key.prefix}…</code>
              </td>
              <td className="pr-3">{key.user.email}</td>
              <td className="pr-3">{key.revokedAt ? <span className="text-zinc-500">revoked</span> : 'active'}</td>
              {/* The default in grey: this key has no limit of its own. */}
              <td className="pr-3 tabular-nums">{key.requestsPerMinute ?? <span className="text-zinc-500">{defaultLimit}</span>}</td>
              <td className="pr-3 tabular-nums" data-testid="admin-api-key-requests">
                {formatCount(key.requests)}
              </td>
              <td className="pr-3 tabular-nums">{formatCount(key.errors)}</td>
              <td className="pr-3 tabular-nums">{formatCount(key.tokens)}</td>
              <td className="pr-3 tabular-nums">{formatUsd(key.costUsd)}</td>
              <td className="pr-3 text-zinc-500">{key.lastUsedAt ? relativeTime(key.lastUsedAt.toISOString()) : 'never'}</td>
              <td className="pr-3 text-zinc-500">{relativeTime(key.createdAt.toISOString())}</td>
              <td className="text-right">
                {!key.revokedAt && (
                  <ActionButton
                    danger
                    testId="admin-api-key-revoke"
                    label="Revoke"
                    confirm={`Revoke “${key.name}” of ${key.user.email}? Programs using it stop working at once.`}
                    action={revokeKey.bind(null, key.id)}
                  />
                )}
              </td>
            </tr>
          ))}
        </AdminTable>
      </div>
    </div>
  );
}
