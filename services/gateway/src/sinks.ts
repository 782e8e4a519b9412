import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { Sink } from './connection.ts';

/**
 * A WebSocket sink. A client that does not read fast enough is closed with 1013 once its send
 * buffer passes the limit (it reconnects and resumes), rather than letting the gateway's memory grow.
 */
export class WsSink implements Sink {
  readonly kind = 'ws';

  constructor(
    readonly socket: WebSocket,
    private readonly maxBuffered: number,
    private readonly onSlowConsumer: () => void,
  ) {}

  write(frame: string): void {
    if (this.socket.readyState !== 1) return;
    this.socket.send(frame);
    if (this.socket.bufferedAmount > this.maxBuffered) {
      this.onSlowConsumer();
      this.close(1013, 'slow consumer: resume from your last seq');
    }
  }

  bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState <= 1) this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }
}

/**
 * A Server-Sent Events sink: each frame is one message whose data is the same JSON as on the
 * WebSocket; notification messages carry `id: <seq>` so the browser's Last-Event-ID resumes.
 */
export class SseSink implements Sink {
  readonly kind = 'sse';

  constructor(
    private readonly response: ServerResponse,
    private readonly maxBuffered: number,
    private readonly onSlowConsumer: () => void,
  ) {}

  write(frame: string, seq?: number): void {
    if (this.response.writableEnded) return;
    this.response.write(seq === undefined ? `data: ${frame}\n\n` : `id: ${seq}\ndata: ${frame}\n\n`);
    if (this.response.writableLength > this.maxBuffered) {
      this.onSlowConsumer();
      this.close(1013, 'slow consumer: resume from your last seq');
    }
  }

  bufferedBytes(): number {
    return this.response.writableLength;
  }

  /** SSE has no close codes: the reason goes out as a `close` event before the stream ends. */
  close(code: number, reason: string): void {
    if (this.response.writableEnded) return;
    this.response.end(`event: close\ndata: ${JSON.stringify({ code, reason })}\n\n`);
  }

  terminate(): void {
    this.response.destroy();
  }
}
