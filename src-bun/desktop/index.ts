/**
 * Desktop entry (Electrobun runs it as app/bun/index.js): one window on
 * views://mainview/index.html, bound to the same handler table as the web
 * mode; a tray with the running count; OS notifications; the window's frame
 * kept across relaunches; one instance per data dir. Events reach the window
 * through a frame pump (frame-pump.ts): at most two message frames it has not
 * acknowledged, so a busy stream never queues up in it.
 *
 * Quit (window close, tray, menu, SIGINT/SIGTERM) is cancelled until every
 * sidecar is stopped and pending messages are written, because Electrobun's
 * `before-quit` does not await its handlers.
 *
 * Lines for whoever started us (src-bun/start.ts reads them):
 *   `[corral] window ready in N ms (pid P)`: the view asked its first RPC, so it painted and the bridge works.
 *   `[corral] already running: …`: another Corral holds the data dir; this one quits.
 */
import Electrobun, { ApplicationMenu, BrowserView, BrowserWindow, Tray, Utils, type ElectrobunEvent } from 'electrobun/bun';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { realClock } from '../../src/shared/clock';
import { requestSchemas, type EventPayload, type Handlers, type RequestName } from '../../src/shared/rpc';
import { FRAME_ACK, type CorralRpcSchema } from '../../src/shared/rpc/electrobun-schema';
import { defaultDataDir } from '../cli-args';
import { InstanceLockedError } from '../core/instance-lock';
import { consoleLogger, createMainCore } from '../main-process';
import { createHandlers } from '../rpc';
import { dispatch } from '../rpc/dispatch';
import { listenForFocus, requestFocus } from './focus-channel';
import { createFramePump } from './frame-pump';
import { sidecarRuntime } from './sidecar-runtime';
import { createDesktopNotifier, runCommand } from './notifications';
import { createRunningCounter, trayMenu, trayTitle, type TrayAction } from './tray';
import { createFrameSaver, loadWindowFrame } from './window-state';

const startedAt = Date.now();
const dataDir = process.env.CORRAL_DATA_DIR || defaultDataDir();
// Inside the app bundle the sidecar ships next to this file (app/bun/sidecar.js); it runs on the Bun npm start
// names (sidecar-runtime.ts), else on the bundle's.
const bundledSidecar = join(import.meta.dir, 'sidecar.js');

let attached = false;
const running = createRunningCounter();
let tray: Tray | null = null;
let handlers: Handlers | null = null;
let ready = false;

// Every request goes through the same schema check as in web mode; a refusal travels back as an Error.
const requests = Object.fromEntries(
  (Object.keys(requestSchemas) as RequestName[]).map((method) => [
    method,
    async (params: unknown) => {
      if (!ready) {
        ready = true;
        console.log(`[corral] window ready in ${Date.now() - startedAt} ms (pid ${process.pid})`);
      }
      if (!handlers) throw new Error('Corral is still starting');
      const res = await dispatch(handlers, { type: 'request', id: 0, method, params }, { clientId: 'desktop' });
      if (!res || !res.success) throw new Error(res && !res.success ? res.error : 'no response');
      return res.payload;
    },
  ]),
);
// The view acknowledges each message frame it starts on (src-bun/desktop/frame-pump.ts); its payload carries nothing.
const rpc = BrowserView.defineRPC<CorralRpcSchema>({
  maxRequestTime: 120_000,
  handlers: { requests: requests as never, messages: { [FRAME_ACK]: () => frames.acknowledged() } },
});
const send = rpc.send as unknown as Record<string, (p: unknown) => void>;
const frames = createFramePump({ send: (event, payload) => send[event]?.(payload), clock: realClock, warn: consoleLogger.warn });

/** Takes the data dir and builds the core; when another Corral holds it, says so, brings that one's window forward and quits. */
async function openCore(): Promise<ReturnType<typeof createMainCore>> {
  try {
    return createMainCore({
      dataDir,
      mode: 'desktop',
      sidecarEntry: existsSync(bundledSidecar) ? bundledSidecar : undefined,
      sidecarRuntime: sidecarRuntime(process.env, process.execPath, consoleLogger.warn),
      publish: (event, payload) => {
        if (event === 'agent.status') {
          const p = payload as EventPayload<'agent.status'>;
          if (running.status(p.sessionId, p.status)) updateTray();
        }
        frames.publish(event, payload);
      },
      hasClients: () => attached,
    });
  } catch (e) {
    if (!(e instanceof InstanceLockedError)) throw e;
    // Only a desktop holder has a window to bring forward.
    const focused = e.holder?.mode === 'desktop' && (await requestFocus(dataDir));
    console.log(`[corral] already running: ${e.message}${focused ? '; brought its window to the front' : ''}`);
    return process.exit(0);
  }
}
const core = await openCore();

const notifier = createDesktopNotifier({
  platform: process.platform,
  which: (cmd) => Bun.which(cmd),
  run: runCommand,
  showNative: ({ title, body }) => Utils.showNotification({ title, body }),
  warn: consoleLogger.warn,
});
handlers = createHandlers(core, {
  notify: notifier.notify,
  info: () => ({ mode: 'desktop', notifications: notifier.health() }),
});

const frame = loadWindowFrame(dataDir, consoleLogger.warn);
const frameSaver = createFrameSaver({ dataDir, clock: realClock, warn: consoleLogger.warn });
const window = new BrowserWindow({ title: 'Corral', url: 'views://mainview/index.html', frame, rpc });
attached = true;
window.on('resize', (e) => frameSaver.changed((e as { data: { x: number; y: number; width: number; height: number } }).data));
window.on('move', (e) => {
  const { x, y } = (e as { data: { x: number; y: number } }).data;
  frameSaver.changed({ ...window.frame, x, y });
});
window.on('close', () => {
  frameSaver.flush();
  attached = false;
  core.sessions.clientsChanged();
  Utils.quit();
});

function showWindow(): void {
  window.show();
  window.activate();
}
// A second Corral started on this data dir asks us to come forward.
const closeFocusChannel = listenForFocus(dataDir, showWindow, consoleLogger.warn);

function updateTray(): void {
  if (!tray) return;
  tray.setTitle(trayTitle(running.count()));
  tray.setMenu(trayMenu(running.count()));
}
tray = new Tray({ title: trayTitle(0), image: 'views://mainview/favicon.svg', template: false, width: 22, height: 22 });
tray.setMenu(trayMenu(0));
tray.on('tray-clicked', (e) => {
  const action = (e as { data: { action?: string } }).data.action as TrayAction | '' | undefined;
  if (action === 'quit') Utils.quit();
  else showWindow(); // 'show', or a click on the icon itself
});

// Linux has no application menu (Electrobun logs that it is unsupported); the tray and the window's close button quit there.
if (process.platform === 'darwin') {
  ApplicationMenu.setApplicationMenu([
    { submenu: [{ role: 'about' }, { type: 'divider' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'divider' }, { label: 'Quit Corral', role: 'quit', accelerator: 'q' }] },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'divider' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
  ]);
}

let shutdownDone = false;
Electrobun.events.on('before-quit', (e: ElectrobunEvent<{}, { allow: boolean }>) => {
  if (shutdownDone) return;
  e.response = { allow: false };
  frameSaver.flush();
  closeFocusChannel?.();
  void core.shutdown().then(({ saved, stopped }) => {
    consoleLogger.info(`stopped ${stopped} sidecar(s), saved ${saved} pending message(s)`);
    shutdownDone = true;
    Utils.quit();
  });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => Utils.quit());
consoleLogger.info(`data dir: ${dataDir}`);
