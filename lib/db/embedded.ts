import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { lockDataDir } from './data-dir-lock';
import net, { type AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { BackendQueue } from './pglite-queue';
import { requirePassword } from './wire-password';

export interface EmbeddedPostgres {
  /** A postgresql:// URL for pg / adapter-pg; the database name in it is ignored. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite persisted in `dir`, served over the Postgres wire protocol on 127.0.0.1 so the app
 * talks to it exactly as it talks to a real server, behind a password generated per start (in the
 * URL; keep it private). Only one process may open `dir` at a time;
 * other processes connect through the URL.
 *
 * Everything runs on one backend: while a client has a transaction open, every other client
 * waits (see BackendQueue). Keep transactions short and never wait, inside one, on work another
 * connection must do.
 */
export async function startEmbeddedPostgres(dir: string, opts: { port?: number } = {}): Promise<EmbeddedPostgres> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const unlock = lockDataDir(dir);
  const db = await PGlite.create(dir).catch((error) => {
    unlock();
    throw error;
  });
  const queue = new BackendQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();

  // pglite-socket's PGLiteSocketServer would bring its own queue (and a default limit of one
  // connection), so the server is assembled here from its per-connection handler.
  // A new password each start: only this process and what it hands the URL to can connect.
  const password = randomBytes(24).toString('base64url');
  const server = net.createServer((socket) => {
    requirePassword(socket, password).then(
      () => serve(socket),
      // A refused password was answered already; end() lets that answer out.
      () => (socket.writableEnded ? undefined : socket.destroy()),
    );
  });
  const serve = (socket: net.Socket) => {
    const handler = new PGLiteSocketHandler({
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    // requirePassword paused the socket with the startup message put back: it flows to PGlite now.
    handler.attach(socket).then(
      () => socket.resume(),
      () => socket.destroy(),
    );
  };

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await db.close();
    unlock();
    throw error;
  }
  const { port } = server.address() as AddressInfo;

  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      // Detaching rolls back whatever a client left open, so nothing half-done reaches the disk.
      await Promise.all([...handlers].map((handler) => handler.detach(true)));
      await closed;
      await queue.idle();
      await db.close();
      unlock();
    },
  };
}
