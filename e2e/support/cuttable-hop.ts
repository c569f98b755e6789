import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CuttableHop {
  /** `target`'s URL with this hop's port instead: where the client should connect. */
  url: string;
  /** Resets every open connection at once, as a failing network does. */
  cut(): void;
  /** While down, open connections are cut and new ones reset as they arrive. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

/**
 * A TCP hop between a client and a server that a test can break the way a real network breaks
 * (Chromium's offline emulation, for one, leaves responses already streaming untouched).
 */
export async function cuttableHop(target: string): Promise<CuttableHop> {
  const targetUrl = new URL(target);
  const sockets = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((near) => {
    if (down) return void near.resetAndDestroy();
    const far = net.connect(Number(targetUrl.port), targetUrl.hostname);
    near.pipe(far).pipe(near);
    for (const socket of [near, far]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.port = String((server.address() as AddressInfo).port);
  const cut = () => sockets.forEach((socket) => socket.resetAndDestroy());
  return {
    url: url.href.replace(/\/$/, ''),
    cut,
    setDown(value) {
      down = value;
      if (down) cut();
    },
    close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive connections would hold the server open.
      cut();
      return closed;
    },
  };
}
