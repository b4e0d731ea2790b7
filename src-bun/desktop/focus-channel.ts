/**
 * How a second `npm start` on the same data dir brings the running window
 * forward: the desktop instance listens on a Unix socket in its data dir
 * (`corral.sock`), and the newcomer writes `show\n` to it. A signal cannot
 * do this: Electrobun runs our code in a Worker, where Bun installs no OS
 * handler for SIGUSR1/SIGUSR2, so the signal's default action would kill the
 * running app.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const SOCKET = 'corral.sock';
/** sun_path holds 108 bytes on Linux, 104 on macOS. */
const MAX_SOCKET_PATH = 100;

/** Listens for focus requests; call only while holding the instance lock (a socket file found is stale). Returns a closer, or null where the path is too long for a Unix socket. */
export function listenForFocus(dataDir: string, onShow: () => void, warn: (msg: string) => void): (() => void) | null {
  const path = join(dataDir, SOCKET);
  if (path.length > MAX_SOCKET_PATH) {
    warn(`${path} is too long for a Unix socket; a second start cannot bring this window forward`);
    return null;
  }
  if (existsSync(path)) rmSync(path, { force: true });
  const listener = Bun.listen({
    unix: path,
    socket: {
      data(socket, data) {
        if (new TextDecoder().decode(data).startsWith('show')) onShow();
        socket.end();
      },
    },
  });
  return () => {
    listener.stop(true);
    rmSync(path, { force: true });
  };
}

/** Asks the instance on `dataDir` to show its window. Resolves true when the request was delivered, within `timeoutMs`. */
export async function requestFocus(dataDir: string, timeoutMs = 1000): Promise<boolean> {
  const path = join(dataDir, SOCKET);
  if (!existsSync(path)) return false;
  const attempt = new Promise<boolean>((resolve) => {
    Bun.connect({
      unix: path,
      socket: {
        open(socket) {
          socket.write('show\n');
          socket.flush();
          resolve(true);
          socket.end();
        },
        data() {},
        error: () => resolve(false),
        connectError: () => resolve(false),
      },
    }).catch(() => resolve(false));
  });
  return Promise.race([attempt, Bun.sleep(timeoutMs).then(() => false)]);
}
