import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';

// One client per process and database; Next's dev server re-evaluates modules, so it lives on
// globalThis. Keyed by URL so a process that moves to another database (benchmarks run one after
// another, each on its own) never talks to the previous one.
const holder = globalThis as unknown as { glimpsePrisma?: { url: string; client: PrismaClient } };

export function db(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the app with `npm start`, which provides an embedded database');
  if (holder.glimpsePrisma?.url !== url) {
    holder.glimpsePrisma = { url, client: new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) }) };
  }
  return holder.glimpsePrisma.client;
}
