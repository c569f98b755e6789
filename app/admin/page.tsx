import { BarChart } from '@/components/admin/bar-chart';
import { formatCount, formatMs, formatUsd } from '@/components/ui/format';
import { answerHealth, usageByDayAndModel, usageByUser } from '@/lib/db/admin';
import { requireAdmin } from '@/lib/auth/admin';

const DAYS = 30;

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
      <p className="text-xs uppercase tracking-wide text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
    </div>
  );
}

export default async function AdminUsagePage() {
  const admin = await requireAdmin();
  const [usage, users, health] = await Promise.all([usageByDayAndModel(admin, DAYS), usageByUser(admin, DAYS), answerHealth(admin, DAYS)]);
  const byDay = new Map<string, number>();
  const byModel = new Map<string, { tokens: number; cost: number }>();
  for (const row of usage) {
    byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.costUsd);
    const model = byModel.get(row.modelId) ?? { tokens: 0, cost: 0 };
    byModel.set(row.modelId, { tokens: model.tokens + row.inputTokens + row.outputTokens, cost: model.cost + row.costUsd });
  }
  const ms = (value: number | null) => (value === null ? '—' : formatMs(Math.round(value)));

  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Usage and cost, last {DAYS} days</h1>
      <section className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Answers" value={formatCount(health.answers)} testId="stat-answers" />
        <Stat label="Cache hit rate" value={`${(health.cacheHitRate * 100).toFixed(1)}%`} testId="stat-cache-rate" />
        <Stat label="Tokens saved by cache" value={formatCount(health.tokensSaved)} testId="stat-tokens-saved" />
        <Stat label="Error rate" value={`${(health.errorRate * 100).toFixed(1)}%`} testId="stat-error-rate" />
        <Stat label="Latency p50" value={ms(health.latencyMs.p50)} testId="stat-p50" />
        <Stat label="Latency p95" value={ms(health.latencyMs.p95)} testId="stat-p95" />
        <Stat label="Latency p99" value={ms(health.latencyMs.p99)} testId="stat-p99" />
        <Stat label="Estimated cost" value={formatUsd(usage.reduce((s, r) => s + r.costUsd, 0))} testId="stat-cost" />
      </section>
      <section className="grid gap-8 md:grid-cols-2">
        <div>
          <h2 className="mb-3 font-semibold">Cost by day</h2>
          <BarChart testId="chart-cost-by-day" rows={[...byDay].map(([label, value]) => ({ label, value }))} format={formatUsd} />
        </div>
        <div>
          <h2 className="mb-3 font-semibold">Tokens by model</h2>
          <BarChart testId="chart-tokens-by-model" rows={[...byModel].map(([label, v]) => ({ label, value: v.tokens }))} format={formatCount} />
        </div>
        <div className="md:col-span-2">
          <h2 className="mb-3 font-semibold">Cost by user</h2>
          <BarChart testId="chart-cost-by-user" rows={users.map((u) => ({ label: u.label, value: u.costUsd }))} format={formatUsd} />
        </div>
      </section>
    </div>
  );
}
