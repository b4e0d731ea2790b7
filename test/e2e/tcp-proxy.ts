/**
 * A small TCP proxy for the "blip" tests: it forwards 127.0.0.1:<port> to a
 * target port byte for byte, and `blip(ms)` drops every open connection and
 * refuses new ones for `ms`, as a network outage or a sleeping laptop would.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

/** A running proxy. */
export type TcpProxy = {
  /** The port it listens on. */
  port: number;
  /** Connections open now (client side). */
  open(): number;
  /** Connections accepted so far, refused ones included. */
  accepted(): number;
  /** Drops every connection at once and refuses new ones (reset) until `ms` have passed; resolves when the link is back. */
  blip(ms: number): Promise<void>;
  close(): Promise<void>;
};

/**
 * Starts a proxy on `listenHost`:`listenPort` (default 127.0.0.1, a free port)
 * that forwards to 127.0.0.1:`targetPort`. Listening on `::1` with Corral's own
 * port keeps the page's origin one Corral accepts (`http://[::1]:<port>`).
 */
export async function startTcpProxy(targetPort: number, opts: { listenHost?: string; listenPort?: number } = {}): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  let down = false;
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort ?? 0, opts.listenHost ?? '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    open: () => pairs.size,
    accepted: () => accepted,
    async blip(ms) {
      down = true;
      // A reset, not a close: the browser sees the link die as it does when the network goes.
      for (const { client, upstream } of [...pairs]) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
      await new Promise((r) => setTimeout(r, ms));
      down = false;
    },
    async close() {
      for (const { client, upstream } of pairs) { client.destroy(); upstream.destroy(); }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
