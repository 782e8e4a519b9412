import { connect } from 'node:net';

/** What a server answered to raw bytes: the status of its first response line (0 for none) and the whole answer. */
export interface RawAnswer {
  status: number;
  text: string;
  /** The first response's body parsed as JSON, when it is JSON. */
  json: any;
}

/**
 * Sends raw bytes on a fresh TCP connection, half-closes it and reads until the server closes (or
 * `timeoutMs` passes): for requests no HTTP client would send.
 */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 5_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(text)?.[1] ?? 0);
      resolve({ status, text, json: parseBody(text) });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.setTimeout(timeoutMs, () => socket.destroy());
  });
}

function parseBody(text: string): unknown {
  const start = text.indexOf('\r\n\r\n');
  if (start === -1) return undefined;
  const head = text.slice(0, start).toLowerCase();
  let body = text.slice(start + 4);
  if (head.includes('transfer-encoding: chunked')) body = body.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n[\s\S]*$/, '');
  else {
    const length = /content-length: (\d+)/.exec(head)?.[1];
    if (length !== undefined) body = body.slice(0, Number(length));
  }
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
