import { AdminTable, adminRowClass } from '@/components/admin/admin-table';
import Link from 'next/link';
import { z } from 'zod';
import { relativeTime } from '@/components/ui/format';
import { searchConversations, usedModels } from '@/lib/db/admin';
import { requireAdmin } from '@/lib/auth/admin';

const filterSchema = z.object({
  q: z.string().trim().max(200).optional(),
  user: z.string().trim().max(200).optional(),
  model: z.string().trim().max(200).optional(),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  shared: z.literal('1').optional().catch(undefined),
  errors: z.literal('1').optional().catch(undefined),
  media: z.enum(['image', 'video', 'audio']).optional().catch(undefined),
});

const field = 'rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900';

export default async function AdminHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  const filter = filterSchema.parse(Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined])));
  const [rows, models] = await Promise.all([
    searchConversations(admin, {
      q: filter.q,
      user: filter.user,
      model: filter.model,
      from: filter.from ? new Date(filter.from) : undefined,
      to: filter.to ? new Date(`${filter.to}T23:59:59.999Z`) : undefined,
      shared: filter.shared === '1',
      errors: filter.errors === '1',
      media: filter.media,
    }),
    usedModels(admin),
  ]);

  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">History</h1>
      <form className="flex flex-wrap items-end gap-2" data-testid="history-filters">
        <input name="q" defaultValue={filter.q} placeholder="Title contains…" className={field} data-testid="filter-q" />
        <input name="user" defaultValue={filter.user} placeholder="User email…" className={field} />
        <select name="model" defaultValue={filter.model ?? ''} className={field}>
          <option value="">Any model</option>
          {models.map((m) => (
            <option key={m.modelId} value={m.modelId!}>
              {m.modelId}
            </option>
          ))}
        </select>
        <select name="media" defaultValue={filter.media ?? ''} className={field} data-testid="filter-media">
          <option value="">Any media</option>
          <option value="image">With images</option>
          <option value="video">With videos</option>
          <option value="audio">With recordings</option>
        </select>
        <input type="date" name="from" defaultValue={filter.from} className={field} aria-label="From" />
        <input type="date" name="to" defaultValue={filter.to} className={field} aria-label="To" />
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" name="shared" value="1" defaultChecked={filter.shared === '1'} /> shared
        </label>
        <label className="flex items-center gap-1 text-sm">
          <input type="checkbox" name="errors" value="1" defaultChecked={filter.errors === '1'} /> with errors
        </label>
        <button className="rounded-lg bg-zinc-900 px-3 py-1.5 text-sm text-white dark:bg-zinc-100 dark:text-zinc-900">Filter</button>
      </form>
      <AdminTable testId="history-table" columns={['Title', 'User', 'Messages', 'Files', 'Shared', 'Updated']} isEmpty={rows.length === 0} empty="No conversations match.">
        {rows.map((c) => (
          <tr key={c.id} className={adminRowClass} data-testid="history-row">
            <td className="py-2 pr-3">
              <Link href={`/admin/conversations/${c.id}`} className="underline">
                {c.title}
              </Link>
            </td>
            <td className="pr-3">{c.user.isAnonymous ? 'guest' : c.user.email}</td>
            <td>{c._count.messages}</td>
            <td>{c._count.media}</td>
            <td>{c._count.shareLinks > 0 ? 'yes' : ''}</td>
            <td className="text-zinc-500">{relativeTime(c.updatedAt.toISOString())}</td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
