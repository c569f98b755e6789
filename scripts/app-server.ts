/**
 * The app's HTTP server: Next's request handler behind a Node server of ours, so that every request
 * reaches the app with forwarding headers it can believe. `next start` passes a client's own
 * `X-Forwarded-For`/`-Host`/`-Proto` through untouched, which let anyone pick the address the
 * password limiter counted and the origin better-auth trusted. Here the client is the socket's peer,
 * unless that peer is a proxy named in `TRUSTED_PROXIES` (lib/net/client-address.ts).
 *
 * Run by scripts/serve.ts (`npm start`, `npm run dev`): `app-server.ts [--dev] --port N [--hostname H]`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { resolveForwarded, trustedProxies } from '../lib/net/client-address.ts';

const { values } = parseArgs({ options: { dev: { type: 'boolean', default: false }, port: { type: 'string', default: '3000' }, hostname: { type: 'string' } } });
const port = Number(values.port);
const trusted = trustedProxies();

/** Replaces what the client said about itself with what we know (or a trusted proxy told us). */
function normalizeForwarding(request: IncomingMessage) {
  const view = resolveForwarded(request.socket.remoteAddress, request.headers, trusted);
  for (const name of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-real-ip', 'forwarded']) delete request.headers[name];
  request.headers['x-forwarded-for'] = view.clientAddress;
  if (view.forwardedHost) request.headers['x-forwarded-host'] = view.forwardedHost;
  if (view.forwardedProto) request.headers['x-forwarded-proto'] = view.forwardedProto;
}

async function main() {
  const app = next({ dev: values.dev, port, hostname: values.hostname });
  const handle = app.getRequestHandler();
  await app.prepare();
  const upgrade = app.getUpgradeHandler();
  const server = createServer((request, response) => {
    normalizeForwarding(request);
    void handle(request, response);
  });
  // Development's hot reload talks over a WebSocket.
  server.on('upgrade', (request, socket, head) => {
    normalizeForwarding(request);
    void upgrade(request, socket, head);
  });
  server.listen(port, values.hostname, () => console.log(`glimpse: ready on port ${port}`));

  const stop = () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    // Streams left open (a long answer, an upload) do not hold the shutdown past a few seconds.
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error('glimpse: the HTTP server could not start:', error);
  process.exit(1);
});
