/**
 * Desktop entry (Electrobun): one window on views://mainview/index.html,
 * the same handler table as the web mode, bound through Electrobun's RPC.
 * Quit is cancelled until sidecars are stopped and pending messages written,
 * because Electrobun's `before-quit` does not await its handlers.
 */
import Electrobun, { BrowserView, BrowserWindow, Utils, type ElectrobunEvent } from 'electrobun/bun';
import { join } from 'node:path';
import { requestSchemas, type RequestName } from '../../src/shared/rpc';
import type { CorralRpcSchema } from '../../src/shared/rpc/electrobun-schema';
import { createMainCore, consoleLogger } from '../main-process';
import { createHandlers } from '../rpc';
import { dispatch } from '../rpc/dispatch';

const dataDir = process.env.CORRAL_DATA_DIR || join(Utils.paths.userData);
let attached = false;
const core = createMainCore({
  dataDir,
  publish: (event, payload) => (rpc.send as unknown as Record<string, (p: unknown) => void>)[event]?.(payload),
  hasClients: () => attached,
});
// Desktop notifications go through Electrobun (notify-send on Linux).
const handlers = createHandlers(core, { notify: ({ title, body }) => Utils.showNotification({ title, body }) });

// Every request goes through the same schema check as in web mode; a refusal travels back as an Error.
const requests = Object.fromEntries(
  (Object.keys(requestSchemas) as RequestName[]).map((method) => [
    method,
    async (params: unknown) => {
      const res = await dispatch(handlers, { type: 'request', id: 0, method, params }, { clientId: 'desktop' });
      if (!res || !res.success) throw new Error(res && !res.success ? res.error : 'no response');
      return res.payload;
    },
  ]),
);

const rpc = BrowserView.defineRPC<CorralRpcSchema>({ maxRequestTime: 120_000, handlers: { requests: requests as never, messages: {} } });

const window = new BrowserWindow({
  title: 'Corral',
  url: 'views://mainview/index.html',
  frame: { width: 1280, height: 820, x: 120, y: 80 },
  rpc,
});
attached = true;
window.on('close', () => {
  attached = false;
  core.sessions.clientsChanged();
  Utils.quit();
});

let shutdownDone = false;
Electrobun.events.on('before-quit', (e: ElectrobunEvent<{}, { allow: boolean }>) => {
  if (shutdownDone) return;
  e.response = { allow: false };
  void core.shutdown().then(({ saved, stopped }) => {
    consoleLogger.info(`stopped ${stopped} sidecar(s), saved ${saved} pending message(s)`);
    shutdownDone = true;
    Utils.quit();
  });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => Utils.quit());
