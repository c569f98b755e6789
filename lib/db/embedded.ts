import { mkdir } from 'node:fs/promises';
import { lockDataDir } from './data-dir-lock';
import net, { type AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { BackendQueue } from './pglite-queue';

export interface EmbeddedPostgres {
  /** A postgresql:// URL for pg / adapter-pg; the database name in it is ignored. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite persisted in `dir`, served over the Postgres wire protocol on 127.0.0.1 so the app
 * talks to it exactly as it talks to a real server. Only one process may open `dir` at a time;
 * other processes connect through the URL.
 *
 * Everything runs on one backend: while a client has a transaction open, every other client
 * waits (see BackendQueue). Keep transactions short and never wait, inside one, on work another
 * connection must do.
 */
export async function startEmbeddedPostgres(dir: string, opts: { port?: number } = {}): Promise<EmbeddedPostgres> {
  await mkdir(dir, { recursive: true });
  const unlock = lockDataDir(dir);
  const db = await PGlite.create(dir).catch((error) => {
    unlock();
    throw error;
  });
  const queue = new BackendQueue(db);
  const handlers = new Set<PGLiteSocketHandler>();

  // pglite-socket's PGLiteSocketServer would bring its own queue (and a default limit of one
  // connection), so the server is assembled here from its per-connection handler.
  const server = net.createServer((socket) => {
    const handler = new PGLiteSocketHandler({
      queryQueue: queue as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'],
      closeOnDetach: true,
    });
    handlers.add(handler);
    const forget = () => handlers.delete(handler);
    handler.addEventListener('close', forget);
    handler.addEventListener('error', forget);
    handler.attach(socket).catch(() => socket.destroy());
  });

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
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
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
