/** A scriptable stand-in for the browser WebSocket, for transport tests. */
import type { SocketLike } from '../rpc/websocket-transport';

/** One fake socket; the test plays the server through `serverOpen`, `serverSend` and `serverClose`. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: unknown[] = [];
  closedByClient = false;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  /** `protocols` are the subprotocols the client offered in its handshake. */
  constructor(readonly url: string, readonly protocols: string[] = []) {}

  send(data: string) {
    if (this.readyState !== 1) throw new Error('FakeSocket: send while not open');
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000, reason = '') {
    this.closedByClient = true;
    this.serverClose(code, reason);
  }
  serverOpen() {
    this.readyState = 1;
    this.onopen?.({});
  }
  /** Delivers a frame; objects are JSON-encoded, strings sent as they are. */
  serverSend(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  serverClose(code = 1006, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** A socket factory that records every socket it opened. */
export function createSocketFactory() {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    connect: (url: string, protocols: string[] = []) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    get last(): FakeSocket {
      const s = sockets[sockets.length - 1];
      if (!s) throw new Error('no socket opened yet');
      return s;
    },
  };
}
