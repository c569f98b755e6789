import type { Metadata } from 'next';
import Link from 'next/link';
import { requireAdmin } from '@/lib/auth/admin';

export const metadata: Metadata = { title: 'Admin · Glimpse', robots: { index: false } };
export const dynamic = 'force-dynamic';

const sections = [
  ['/admin', 'Usage'],
  ['/admin/conversations', 'History'],
  ['/admin/jobs', 'Jobs'],
  ['/admin/models', 'Models'],
  ['/admin/users', 'Users'],
  ['/admin/shared', 'Shared links'],
  ['/admin/api-keys', 'API keys'],
  ['/admin/audit', 'Audit log'],
] as const;

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const admin = await requireAdmin();
  return (
    <div className="min-h-dvh">
      <header className="flex flex-wrap items-center gap-x-6 gap-y-2 border-b border-zinc-200 px-6 py-3 dark:border-zinc-800">
        <Link href="/" className="font-semibold">
          Glimpse
        </Link>
        <nav className="flex flex-wrap gap-4 text-sm" data-testid="admin-nav">
          {sections.map(([href, label]) => (
            <Link key={href} href={href} className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
              {label}
            </Link>
          ))}
        </nav>
        <span className="ml-auto text-xs text-zinc-500">Signed in as {admin.email} · every view of someone’s conversation is logged</span>
      </header>
      <main className="mx-auto max-w-6xl p-6">{children}</main>
    </div>
  );
}
