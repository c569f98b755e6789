import type { Metadata } from 'next';
import { ApiKeysGuest } from '@/components/settings/api-keys-guest';
import { ApiKeysPanel } from '@/components/settings/api-keys-panel';
import { listApiKeys, MAX_ACTIVE_API_KEYS } from '@/lib/auth/api-keys';
import { perMinute } from '@/lib/auth/rate-limit';
import { currentUser } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Settings · Glimpse' };

export default async function SettingsPage() {
  const user = await currentUser();
  const account = user && !user.isAnonymous ? user : null;
  const keys = account ? await listApiKeys(account.id) : [];
  return (
    <div className="flex h-full min-h-0 flex-col">
      <header className="border-b border-zinc-200 px-4 py-3 pl-14 md:pl-4 dark:border-zinc-800">
        <h1 className="text-lg font-semibold tracking-tight">Settings</h1>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <section aria-labelledby="api-keys-heading" className="mx-auto flex max-w-3xl flex-col gap-4 px-4 py-6">
          <div>
            <h2 id="api-keys-heading" className="font-semibold">
              API keys
            </h2>
            <p className="mt-1 text-sm text-zinc-500 dark:text-zinc-400">
              A key lets a program use Glimpse’s HTTP API as you, sent as{' '}
              <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">Authorization: Bearer glk_…</code>. Each key may make up to{' '}
              {perMinute('apiKey')} requests a minute. Treat a key like a password; revoke it as soon as you no longer need it.
            </p>
          </div>
          {account ? <ApiKeysPanel keys={keys} maxActive={MAX_ACTIVE_API_KEYS} /> : <ApiKeysGuest />}
        </section>
      </div>
    </div>
  );
}
