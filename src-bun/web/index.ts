/**
 * Web entry: `npm run web -- [--host H] [--port N|0] [--data-dir DIR] [--no-open]`.
 * Serves the built UI and the RPC over a token-authenticated WebSocket, and
 * prints `Corral web UI: <url>`. SIGINT/SIGTERM shut down gracefully:
 * pending messages written, sidecars stopped.
 */
import { join } from 'node:path';
import { parseWebArgs, type WebArgs } from '../cli-args';
import { InstanceLockedError } from '../core/instance-lock';
import { consoleLogger, createMainCore } from '../main-process';
import { createHandlers } from '../rpc';
import { startWebServer } from './server';

/** Runs the web mode until a signal; `reason` is printed first when `npm start` fell back to it. */
export async function runWeb(args: WebArgs): Promise<void> {
  let server: ReturnType<typeof startWebServer> | null = null;
  let core: ReturnType<typeof createMainCore>;
  try {
    core = createMainCore({
      dataDir: args.dataDir,
      mode: 'web',
      publish: (event, payload) => server?.broadcast(event, payload),
      hasClients: () => (server?.clients() ?? 0) > 0,
    });
  } catch (e) {
    // Another Corral holds this data dir: say who, and leave its database alone.
    if (!(e instanceof InstanceLockedError)) throw e;
    console.error(`corral: ${e.message}; not starting a second one. Use --data-dir DIR for a separate instance.`);
    process.exit(3);
  }
  server = startWebServer({
    host: args.host,
    port: args.port,
    distDir: join(import.meta.dir, '..', '..', 'dist'),
    handlers: createHandlers(core),
    onClientsChanged: () => core.sessions.clientsChanged(),
  });
  if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1') {
    consoleLogger.warn(`listening on ${args.host}: anyone who can reach it and has the token can run agents on this machine`);
  }
  consoleLogger.info(`data dir: ${args.dataDir}`);
  console.log(`Corral web UI: ${server.url}`);
  if (args.open) openBrowser(server.url);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    consoleLogger.info(`${signal}: stopping sidecars and saving messages…`);
    const { saved, stopped } = await core.shutdown();
    server?.stop();
    consoleLogger.info(`stopped ${stopped} sidecar(s), saved ${saved} pending message(s)`);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  try {
    Bun.spawn([cmd, url], { stdio: ['ignore', 'ignore', 'ignore'] }).unref();
  } catch {
    // No opener: the URL is printed above.
  }
}

if (import.meta.main) {
  let args: WebArgs;
  try {
    args = parseWebArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`corral: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  }
  await runWeb(args);
}
