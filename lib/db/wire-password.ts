import { timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * The password check PGlite does not have. PGlite answers any startup message with "trust", so on
 * its own the embedded database would let every local user in. This reads the client's startup
 * message (answering SSL and GSS encryption requests with "no", as a server without TLS does),
 * asks for the password in clear text (the socket is loopback only), and only on a match hands the
 * socket on, startup message put back, for PGlite to answer. Anything else is refused as
 * PostgreSQL refuses it (SQLSTATE 28P01), and the socket closed.
 */
export async function requirePassword(socket: Socket, password: string, timeoutMs = 10_000): Promise<void> {
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  };
  const onEnd = () => {
    failure = new Error('the client went away during authentication');
    wake?.();
  };
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('error', onEnd);
  const timer = setTimeout(() => {
    failure = new Error('authentication timed out');
    wake?.();
  }, timeoutMs);

  /** The next `length` bytes, once they have arrived. */
  const take = async (length: number): Promise<Buffer> => {
    while (buffered.length < length) {
      if (failure) throw failure;
      // A startup message is small; a client sending megabytes before authenticating is not one.
      if (length > 64 * 1024) throw new Error('oversized startup message');
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    const bytes = buffered.subarray(0, length);
    buffered = buffered.subarray(length);
    return bytes;
  };
  const untyped = async () => {
    const length = (await take(4)).readInt32BE(0);
    if (length < 8) throw new Error('malformed startup message');
    const body = await take(length - 4);
    return { raw: Buffer.concat([int32(length), body]), code: body.readInt32BE(0) };
  };

  try {
    let startup = await untyped();
    // SSLRequest, GSSENCRequest: no encryption here, then the real startup message follows.
    while (startup.code === 80877103 || startup.code === 80877104) {
      socket.write('N');
      startup = await untyped();
    }
    if (startup.code !== 196608) throw new Error('not a protocol 3.0 startup message');
    socket.write(Buffer.concat([Buffer.from('R'), int32(8), int32(3)])); // AuthenticationCleartextPassword
    const type = (await take(1)).toString('latin1');
    const length = (await take(4)).readInt32BE(0);
    const body = await take(length - 4);
    const given = Buffer.from(body.subarray(0, Math.max(0, body.indexOf(0))));
    const expected = Buffer.from(password);
    if (type !== 'p' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      socket.end(errorResponse('password authentication failed for user "postgres"'));
      throw new Error('wrong password');
    }
    socket.removeListener('data', onData);
    socket.pause();
    // PGlite sees the startup message as if it came now, and answers with AuthenticationOk.
    socket.unshift(Buffer.concat([startup.raw, buffered]));
  } finally {
    clearTimeout(timer);
    socket.removeListener('data', onData);
    socket.removeListener('end', onEnd);
    socket.removeListener('error', onEnd);
  }
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value, 0);
  return bytes;
}

function errorResponse(message: string): Buffer {
  const fields = Buffer.concat([
    ...[['S', 'FATAL'], ['V', 'FATAL'], ['C', '28P01'], ['M', message]].map(([code, value]) => Buffer.from(`${code}${value}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  return Buffer.concat([Buffer.from('E'), int32(fields.length + 4), fields]);
}
