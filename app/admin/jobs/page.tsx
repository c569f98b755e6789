import Link from 'next/link';
import { AdminTable, adminRowClass } from '@/components/admin/admin-table';
import { ActionButton } from '@/components/admin/action-button';
import { relativeTime } from '@/components/ui/format';
import { cancelJob, retryJob } from '@/app/admin/actions';
import { listBatchesForAdmin, listVideoJobs } from '@/lib/db/admin';
import { formatTimestamp } from '@/lib/media/video/timestamps';
import { requireAdmin } from '@/lib/auth/admin';

const statuses = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
type Status = (typeof statuses)[number];

const statusClass: Record<Status, string> = {
  queued: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  running: 'bg-blue-100 text-blue-700 dark:bg-blue-950 dark:text-blue-300',
  succeeded: 'bg-green-100 text-green-700 dark:bg-green-950 dark:text-green-300',
  failed: 'bg-red-100 text-red-700 dark:bg-red-950 dark:text-red-300',
  canceled: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
};

function took(job: { startedAt: Date | null; finishedAt: Date | null }): string {
  if (!job.startedAt || !job.finishedAt) return '—';
  return `${Math.max(0, Math.round((job.finishedAt.getTime() - job.startedAt.getTime()) / 100) / 10)} s`;
}

export default async function AdminJobsPage({ searchParams }: { searchParams: Promise<{ status?: string }> }) {
  const admin = await requireAdmin();
  const wanted = (await searchParams).status;
  const status = statuses.find((s) => s === wanted);
  const [jobs, batches] = await Promise.all([listVideoJobs(admin, { status }), listBatchesForAdmin(admin)]);
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-semibold">Jobs</h1>
      <nav className="flex flex-wrap gap-2 text-sm" data-testid="jobs-filter">
        {[undefined, ...statuses].map((s) => (
          <Link
            key={s ?? 'all'}
            href={s ? `/admin/jobs?status=${s}` : '/admin/jobs'}
            className={`rounded-full border px-3 py-1 ${s === status ? 'border-zinc-900 dark:border-zinc-100' : 'border-zinc-300 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400'}`}
          >
            {s ?? 'all'}
          </Link>
        ))}
      </nav>
      <AdminTable
        testId="jobs-table"
        columns={['Upload', 'Owner', 'Status', 'Stage', 'Attempts', 'Model calls', 'Cost', 'Took', 'Created', '']}
        isEmpty={jobs.length === 0}
        empty={status ? `No ${status} jobs.` : 'No video or recording has been uploaded yet.'}
      >
        {jobs.map((job) => (
          <tr key={job.mediaId} className={adminRowClass} data-testid="job-row">
            <td className="py-2 pr-3">
              <Link href={`/admin/media/${job.mediaId}`} className="underline-offset-2 hover:underline">
                {job.media.filename}
              </Link>
              <span className="ml-1 text-zinc-500">
                ({job.media.kind === 'audio' ? 'recording' : 'video'}, {formatTimestamp(job.media.durationMs ?? 0)})
              </span>
              {job.error && <div className="max-w-xs truncate text-xs text-red-600 dark:text-red-400" title={job.error}>{job.error}</div>}
            </td>
            <td className="pr-3">{job.media.user.isAnonymous ? <span className="text-zinc-500">guest</span> : job.media.user.email}</td>
            <td>
              <span className={`rounded px-1.5 py-0.5 text-xs ${statusClass[job.status]}`} data-testid="job-status">
                {job.status}
              </span>
            </td>
            <td className="pr-3">
              {job.stage} · {Math.round(job.progress * 100)}%
            </td>
            <td>{job.attempts}</td>
            <td title="made / answered from the cache">
              {job.modelCalls} / {job.cachedCalls}
            </td>
            <td>${job.costUsd.toFixed(4)}</td>
            <td>{took(job)}</td>
            <td className="text-zinc-500">{relativeTime(job.createdAt.toISOString())}</td>
            <td className="py-2 text-right">
              {(job.status === 'queued' || job.status === 'running') && (
                <ActionButton testId="job-cancel" danger label="Cancel" confirm={`Cancel processing this ${job.media.kind === 'audio' ? 'recording' : 'video'}?`} action={cancelJob.bind(null, job.mediaId)} />
              )}
              {(job.status === 'failed' || job.status === 'canceled') && <ActionButton testId="job-retry" label="Retry" action={retryJob.bind(null, job.mediaId)} />}
            </td>
          </tr>
        ))}
      </AdminTable>
      <h2 className="pt-4 text-lg font-semibold">Image batches</h2>
      <AdminTable
        testId="batches-table"
        columns={['Prompt', 'Owner', 'Status', 'Images', 'Failed', 'From cache', 'Cost', 'Took', 'Created']}
        isEmpty={batches.length === 0}
        empty="No batch has been run yet."
      >
        {batches.map((batch) => (
          <tr key={batch.id} className={adminRowClass} data-testid="batch-row">
            <td className="max-w-xs truncate py-2 pr-3" title={batch.prompt}>
              {batch.prompt}
              <span className="ml-1 text-zinc-500">({batch.modelId})</span>
              {batch.error && <div className="truncate text-xs text-red-600 dark:text-red-400" title={batch.error}>{batch.error}</div>}
            </td>
            <td className="pr-3">{batch.user.isAnonymous ? <span className="text-zinc-500">guest</span> : batch.user.email}</td>
            <td>
              <span className={`rounded px-1.5 py-0.5 text-xs ${statusClass[batch.status === 'completed' ? 'succeeded' : batch.status]}`}>{batch.status}</span>
            </td>
            <td>
              {batch.succeeded + batch.failed} / {batch.total}
            </td>
            <td>{batch.failed}</td>
            <td>{batch.cached}</td>
            <td>${batch.costUsd.toFixed(4)}</td>
            <td>{took(batch)}</td>
            <td className="text-zinc-500">{relativeTime(batch.createdAt.toISOString())}</td>
          </tr>
        ))}
      </AdminTable>
    </div>
  );
}
