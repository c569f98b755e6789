import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';

// One client per process; Next's dev server re-evaluates modules, so it lives on globalThis.
const holder = globalThis as unknown as { glimpsePrisma?: PrismaClient };

export function db(): PrismaClient {
  if (!holder.glimpsePrisma) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: start the app with `npm start`, which provides an embedded database');
    holder.glimpsePrisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
  }
  return holder.glimpsePrisma;
}
