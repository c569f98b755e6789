'use client';

import { useState, type FormEvent } from 'react';
import { ApiKeyRow } from '@/components/settings/api-key-row';
import { NewKeyReveal } from '@/components/settings/new-key-reveal';
import type { ApiKeySummary } from '@/lib/db/api-keys';

/** An account's API keys: create one (shown once), the list with each key's use, revoke. */
export function ApiKeysPanel({ keys: initial, maxActive }: { keys: ApiKeySummary[]; maxActive: number }) {
  const [keys, setKeys] = useState(initial);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const active = keys.filter((k) => k.revokedAt === null).length;
  const full = active >= maxActive;

  async function create(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setProblem('Give the key a name, such as the program that will use it.');
    setBusy(true);
    setProblem(null);
    const res = await fetch('/api/keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) }).catch(() => null);
    setBusy(false);
    if (!res?.ok) {
      const body = (await res?.json().catch(() => null)) as { error?: { message?: string } } | null;
      return setProblem(body?.error?.message ?? 'Could not create the key. Check your connection and try again.');
    }
    const { key, apiKey } = (await res.json()) as { key: string; apiKey: ApiKeySummary };
    setKeys((list) => [apiKey, ...list]);
    setCreated({ name: apiKey.name, key });
    setName('');
  }

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={(e) => void create(e)} className="flex flex-col gap-2 sm:flex-row">
        <label className="sr-only" htmlFor="api-key-name-input">
          Name of the new key
        </label>
        <input
          id="api-key-name-input"
          data-testid="api-key-name-input"
          value={name}
          maxLength={60}
          disabled={busy || full}
          placeholder="Name, e.g. Nightly export script"
          onChange={(e) => setName(e.target.value)}
          className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-2.5 py-1.5 text-sm focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900"
        />
        <button
          type="submit"
          data-testid="api-key-create"
          disabled={busy || full}
          className="rounded-lg bg-sky-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-700 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 focus-visible:ring-offset-2 disabled:opacity-50 dark:focus-visible:ring-offset-zinc-950"
        >
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {problem && (
        <p role="alert" data-testid="api-key-error" className="-mt-2 text-sm text-red-600 dark:text-red-400">
          {problem}
        </p>
      )}
      {full && (
        <p data-testid="api-keys-full" className="-mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          You have {maxActive} active keys, the most an account can have. Revoke one you no longer use to create another.
        </p>
      )}

      {created && <NewKeyReveal name={created.name} apiKey={created.key} onDone={() => setCreated(null)} />}

      {keys.length === 0 ? (
        <p data-testid="api-keys-empty" className="rounded-xl border border-dashed border-zinc-300 px-4 py-8 text-center text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          No API keys yet. Create one to call Glimpse from your own scripts and programs.
        </p>
      ) : (
        <>
          <ul data-testid="api-keys" className="flex flex-col gap-2">
            {keys.map((key) => (
              <ApiKeyRow key={key.id} apiKey={key} onRevoked={(next) => setKeys((list) => list.map((k) => (k.id === next.id ? next : k)))} />
            ))}
          </ul>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {active} of {maxActive} active keys. Revoked keys stay listed with their use.
          </p>
        </>
      )}
    </div>
  );
}
