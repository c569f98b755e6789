import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/migrate';
import { PrismaClient } from '@/lib/generated/prisma/client';

let dir: string;
let port: number;
let server: EmbeddedPostgres;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-embedded-test-'));
  port = await freePort();
  server = await startEmbeddedPostgres(path.join(dir, 'pg'), { port });
});

afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const prismaOn = (url: string) =>
  new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 }) });

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('startEmbeddedPostgres', () => {
  it('lets in only a client with the password in its URL', async () => {
    const url = new URL(server.url);
    expect(url.password.length).toBeGreaterThanOrEqual(32);
    const withPassword = (password: string) => Object.assign(new URL(server.url), { password }).toString();
    for (const wrong of [withPassword(''), withPassword('guess'), withPassword(url.password.slice(0, -1) + 'x')]) {
      await expect(connect(wrong), wrong.replace(url.password, '<password>')).rejects.toThrow(/password authentication failed|password/);
    }
    // psql asks for TLS first (sslmode=prefer): told no, it goes on in the clear and is still asked.
    const psql = (password: string) =>
      promisify(execFile)('psql', [`host=127.0.0.1 port=${port} user=postgres dbname=postgres sslmode=prefer`, '-tAc', 'select 42'], { env: { ...process.env, PGPASSWORD: password } });
    await expect(psql('guess')).rejects.toThrow(/password authentication failed/);
    expect((await psql(url.password)).stdout.trim()).toBe('42');
    const client = await connect(server.url);
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await client.end();
  });

  it('runs the migrations, serves PrismaClient through adapter-pg, and keeps the data across a restart', async () => {
    expect((await applyMigrations(server.url)).applied.length).toBeGreaterThan(0);

    const prisma = prismaOn(server.url);
    const user = await prisma.user.create({ data: { id: 'embedded-user', name: 'Embedded', email: 'embedded@test.glimpse.invalid' } });
    const conversation = await prisma.conversation.create({
      data: { userId: user.id, title: 'Hello', modelId: 'stub' },
    });
    await prisma.message.create({
      data: {
        id: 'embedded-message',
        conversationId: conversation.id,
        role: 'user',
        parts: [{ type: 'text', text: 'Is this persisted?' }],
      },
    });
    await prisma.$transaction([
      prisma.conversation.update({ where: { id: conversation.id }, data: { title: 'Renamed' } }),
      prisma.message.update({ where: { id: 'embedded-message' }, data: { status: 'stopped' } }),
    ]);
    const doomed = await prisma.conversation.create({ data: { userId: user.id, title: 'Doomed', modelId: 'stub' } });
    await prisma.conversation.delete({ where: { id: doomed.id } });
    await prisma.$disconnect();

    await server.stop();
    server = await startEmbeddedPostgres(path.join(dir, 'pg'), { port });

    const reopened = prismaOn(server.url);
    try {
      expect(await reopened.conversation.findMany({ include: { messages: true } })).toEqual([
        expect.objectContaining({
          id: conversation.id,
          title: 'Renamed',
          messages: [
            expect.objectContaining({
              id: 'embedded-message',
              role: 'user',
              status: 'stopped',
              parts: [{ type: 'text', text: 'Is this persisted?' }],
            }),
          ],
        }),
      ]);
      expect(await applyMigrations(server.url)).toEqual({ applied: [] });
    } finally {
      await reopened.$disconnect();
    }
  });

  it('applies migrations once when two runs race, although the advisory lock cannot keep them apart here', async () => {
    const other = await startEmbeddedPostgres(path.join(dir, 'race'));
    try {
      const runs = await Promise.all([applyMigrations(other.url), applyMigrations(other.url)]);
      const applied = runs.flatMap((run) => run.applied);
      expect(new Set(applied).size).toBe(applied.length);
      expect(applied.length).toBeGreaterThan(0);
    } finally {
      await other.stop();
    }
  });

  it("keeps a client's extended-query batch together when it arrives in pieces", async () => {
    const a = await rawClient(server.url);
    const b = await rawClient(server.url);
    try {
      a.send(parse('SELECT 111 AS from_a'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      b.send(parse('SELECT 222 AS from_b'), ...runUnnamed());
      // Time for a server that interleaves clients to run b's whole batch in the middle of a's.
      await new Promise((resolve) => setTimeout(resolve, 100));
      a.send(...runUnnamed());

      expect(await a.untilReady()).toContain('from_a');
      expect(await b.untilReady()).toContain('from_b');
    } finally {
      a.close();
      b.close();
    }
  });

  it('rolls back what a vanished client left open and lets the others carry on', async () => {
    const setup = await connect(server.url);
    await setup.query('CREATE TABLE IF NOT EXISTS vanish (v int)');
    await setup.end();

    const leaving = await connect(server.url);
    leaving.on('error', () => {});
    const staying = await connect(server.url);
    try {
      await leaving.query('BEGIN');
      await leaving.query('INSERT INTO vanish VALUES (1)');
      const waiting = staying.query<{ n: number }>('SELECT count(*)::int AS n FROM vanish');
      (leaving as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();

      expect((await waiting).rows).toEqual([{ n: 0 }]);
    } finally {
      await staying.end();
    }
  });

  it('listens on the port it is given, again after a restart', async () => {
    expect(new URL(server.url).port).toBe(String(port));
    const client = await connect(server.url);
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
  });
});

// Just enough of the wire protocol to send an extended-query batch in two writes, which pg
// (rightly) never does on its own for small queries.
function frame(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const text = (value: string) => Buffer.from(`${value}\0`);
const int = (bytes: 2 | 4, value: number) => {
  const buffer = Buffer.alloc(bytes);
  if (bytes === 2) buffer.writeInt16BE(value);
  else buffer.writeInt32BE(value);
  return buffer;
};
const parse = (sql: string) => frame('P', text(''), text(sql), int(2, 0));
const runUnnamed = () => [
  frame('B', text(''), text(''), int(2, 0), int(2, 0), int(2, 0)),
  frame('D', Buffer.from('P'), text('')),
  frame('E', text(''), int(4, 0)),
  frame('S'),
];

async function rawClient(url: string) {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  let received = Buffer.alloc(0);
  let onData = () => {};
  socket.on('data', (chunk) => {
    received = Buffer.concat([received, chunk]);
    onData();
  });
  // ReadyForQuery: 'Z', length 5, transaction status.
  const untilReady = () =>
    new Promise<string>((resolve) => {
      const check = () => {
        const end = received.indexOf(Buffer.from([0x5a, 0, 0, 0, 5]));
        if (end < 0) return;
        const reply = received.subarray(0, end + 6).toString('latin1');
        received = received.subarray(end + 6);
        resolve(reply);
      };
      onData = check;
      check();
    });
  await new Promise((resolve) => socket.once('connect', resolve));
  const startup = Buffer.concat([int(4, 196608), text('user'), text('postgres'), text('database'), text('postgres'), text('')]);
  socket.write(Buffer.concat([int(4, startup.length + 4), startup]));
  // AuthenticationCleartextPassword, then the password from the URL.
  const askedForPassword = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]);
  await new Promise<void>((resolve) => {
    const check = () => {
      if (received.indexOf(askedForPassword) < 0) return;
      received = Buffer.alloc(0);
      resolve();
    };
    onData = check;
    check();
  });
  const password = text(decodeURIComponent(new URL(url).password));
  socket.write(Buffer.concat([Buffer.from('p'), int(4, password.length + 4), password]));
  await untilReady();
  return {
    send: (...frames: Buffer[]) => socket.write(Buffer.concat(frames)),
    untilReady,
    close: () => socket.destroy(),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}
