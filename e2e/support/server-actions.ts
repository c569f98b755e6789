import fs from 'node:fs';
import { test, type APIRequestContext } from '@playwright/test';

/** Calls a server action by the id Next gave it at build time, as the browser does. */
export async function callServerAction(client: APIRequestContext, page: string, name: string, args: readonly unknown[], file = 'app/admin/actions.ts') {
  const manifest = JSON.parse(fs.readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const actionId = Object.entries(manifest.node).find(([, v]) => v.exportedName === name && v.filename === file)?.[0];
  if (!actionId) throw new Error(`server action ${name} not found in the build`);
  return client.post(page, {
    headers: { 'next-action': actionId, 'content-type': 'text/plain;charset=UTF-8', origin: test.info().project.use.baseURL! },
    data: JSON.stringify(args),
  });
}
