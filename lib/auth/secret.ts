import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { dataDir } from '@/lib/config';

let cached: string | null = null;

/**
 * The key that signs identity cookies. AUTH_SECRET wins; otherwise one is generated once and kept
 * in DATA_DIR so identities survive restarts on the embedded defaults.
 */
export function authSecret(): string {
  if (cached) return cached;
  if (process.env.AUTH_SECRET) return (cached = process.env.AUTH_SECRET);
  const file = path.join(dataDir(), 'auth-secret');
  try {
    cached = fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir(), { recursive: true });
    const fresh = randomBytes(32).toString('base64url');
    try {
      fs.writeFileSync(file, fresh, { flag: 'wx', mode: 0o600 });
      cached = fresh;
    } catch {
      // Another process created it first: use theirs.
      cached = fs.readFileSync(file, 'utf8').trim();
    }
  }
  return cached;
}
