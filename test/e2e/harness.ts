/**
 * End-to-end harness: the real web mode (`bun src-bun/web/index.ts`) as a child
 * process, the real agent CLIs it runs, the scripted model server on
 * 127.0.0.1, and Debian's Chromium driven by playwright-core.
 */
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll } from 'bun:test';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { readLines } from '../../src-bun/ndjson/line-reader';
import type { PermissionMode } from '../../src/shared/providers';
import { claudeOfflineVars } from '../agent-env';
import { startModelServer, type ModelServer, type ModelServerOptions } from '../model-server/server';

const ROOT = join(import.meta.dir, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** A scratch folder removed by `cleanup()`. */
export function scratch(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `corral-e2e-${prefix}-`));
}

/** Environment that points Claude Code at the scripted model and keeps it off the network and out of the real HOME. */
export function agentEnv(modelUrl: string, home: string): Record<string, string> {
  mkdirSync(join(home, '.claude'), { recursive: true });
  return claudeOfflineVars(home, modelUrl);
}

export type CorralProcess = { url: string; proc: ReturnType<typeof Bun.spawn>; output: string[]; stop(signal?: NodeJS.Signals): Promise<number> };

/** Starts the web mode on a free port and resolves once it printed `Corral web UI: <url>`. Throws if it exits first. */
export async function startCorral(opts: { dataDir: string; env: Record<string, string> }): Promise<CorralProcess> {
  const proc = Bun.spawn([process.execPath, join(ROOT, 'src-bun', 'web', 'index.ts'), '--port', '0', '--data-dir', opts.dataDir, '--no-open'], {
    cwd: ROOT, env: { ...process.env, ...opts.env }, stdout: 'pipe', stderr: 'pipe',
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const onLine = (line: string) => {
      output.push(line);
      const m = /^Corral web UI: (\S+)/.exec(line);
      if (m) resolve(m[1]);
    };
    void readLines(proc.stdout, { line: onLine, oversized: () => {} }).then(() => reject(new Error(`Corral exited before printing its URL:\n${output.join('\n')}`)));
    void readLines(proc.stderr, { line: (l) => output.push(l), oversized: () => {} });
  });
  return {
    url, proc, output,
    async stop(signal = 'SIGINT') {
      proc.kill(signal);
      return proc.exited;
    },
  };
}

/** Opens Debian's Chromium headless with a fresh profile. */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = scratch('profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

type Browser = Awaited<ReturnType<typeof openBrowser>>;

/** What {@link e2eSuite} gives a test file; every field is there once its `beforeAll` ran. */
export type E2eSuite = {
  /** The scripted model server. */
  readonly model: ModelServer;
  /** The scratch folder holding the data dir, HOME and project folders. */
  readonly root: string;
  /** The running web mode; {@link E2eSuite.restartCorral} replaces it. */
  readonly corral: CorralProcess;
  /** Chromium with its one page. */
  readonly browser: Browser;
  /** The environment Corral (and so its agents) runs with. */
  readonly env: Record<string, string>;
  /** Corral's data dir (`<root>/data`). */
  dataDir(): string;
  /** The folder `<root>/<name>`, e.g. a project's. */
  dir(name: string): string;
  /** Starts Corral again on the same data dir and environment, once a test stopped it. */
  restartCorral(): Promise<CorralProcess>;
};

/** Writes settings straight into the Corral database of `dataDir` (read on every session start). */
export function putSettings(dataDir: string, values: Record<string, unknown>): void {
  const db = new Database(join(dataDir, 'corral.db'));
  const put = db.query('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json');
  for (const [key, value] of Object.entries(values)) put.run(key, JSON.stringify(value));
  db.close();
}

/**
 * Registers the `beforeAll`/`afterAll` hooks of an e2e test file: starts the
 * scripted model server (with `model` options), makes a scratch folder named
 * after `name` with an empty folder for each of `projects`, starts Corral
 * with Claude Code's offline environment (plus `extraEnv`, given the model
 * server and the scratch folder), sets the default `permissionMode`, calls
 * `corralStarted`, then opens Chromium. Afterwards all of it is closed and
 * the scratch folder removed.
 *
 * `permissionMode` defaults to `bypassPermissions`: under any other mode
 * Claude Code asks before Bash, and a suite that does not test permission
 * cards would wait on one forever.
 */
export function e2eSuite(opts: {
  name: string;
  projects: string[];
  model?: ModelServerOptions;
  extraEnv?: (model: ModelServer, root: string) => Record<string, string>;
  permissionMode?: PermissionMode;
  corralStarted?: () => void;
}): E2eSuite {
  let model: ModelServer | undefined;
  let root: string | undefined;
  let corral: CorralProcess | undefined;
  let browser: Browser | undefined;
  let env: Record<string, string> | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is set up in beforeAll`);
    return value;
  };
  const dir = (name: string) => join(ready(root, 'the scratch folder'), name);
  const dataDir = () => dir('data');

  beforeAll(async () => {
    model = await startModelServer(opts.model);
    root = scratch(opts.name);
    for (const name of opts.projects) mkdirSync(dir(name));
    env = { ...agentEnv(model.url, dir('home')), ...opts.extraEnv?.(model, root) };
    corral = await startCorral({ dataDir: dataDir(), env });
    putSettings(dataDir(), { permission_mode: opts.permissionMode ?? 'bypassPermissions' });
    opts.corralStarted?.();
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await corral?.stop('SIGTERM');
    await model?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  return {
    get model() { return ready(model, 'the model server'); },
    get root() { return ready(root, 'the scratch folder'); },
    get corral() { return ready(corral, 'Corral'); },
    get browser() { return ready(browser, 'the browser'); },
    get env() { return ready(env, 'the environment'); },
    dataDir,
    dir,
    async restartCorral() {
      corral = await startCorral({ dataDir: dataDir(), env: ready(env, 'the environment') });
      return corral;
    },
  };
}

/** Adds a project through the UI and returns its pane. */
export async function addProject(page: Page, path: string, name: string) {
  await page.getByRole('button', { name: 'Add project' }).click();
  await page.getByRole('textbox', { name: 'Project path' }).fill(path);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('navigation', { name: 'Projects' }).getByText(name, { exact: true }).click();
  return pane(page, name);
}

/** The agent pane of a project, found by its accessible name. */
export function pane(page: Page, name: string) {
  return page.getByRole('region', { name, exact: true });
}

/** Types a prompt into a pane and presses Send. */
export async function sendPrompt(p: ReturnType<typeof pane>, prompt: string): Promise<void> {
  await p.getByRole('textbox', { name: 'Prompt' }).fill(prompt);
  await p.getByRole('button', { name: 'Send' }).click();
}

type Loc = ReturnType<Page['locator']>;

/** Waits until `locator` has a visible match containing `text`; fails with what it saw. */
export async function waitForText(locator: Loc, text: string | RegExp, timeout = 60_000): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
  } catch {
    const seen = await locator.allTextContents().catch(() => []);
    throw new Error(`timed out after ${timeout} ms waiting for ${String(text)}; saw ${JSON.stringify(seen.map((s) => s.slice(0, 300)))}`);
  }
}

/** Polls `read` until `ok` holds (Playwright has no retrying expect outside its test runner). */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeout = 60_000): Promise<T> {
  const end = Date.now() + timeout;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}; last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Saves a screenshot when CORRAL_SCREENSHOTS names a folder (used to refresh the README's pictures). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.CORRAL_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

/**
 * Saves `<name>-dark.png` and `<name>-light.png` when CORRAL_SCREENSHOTS names a folder: the OS colour
 * scheme is emulated and the page's own theme (Settings → Theme: System, the default) follows it, as a
 * user's would. Waits for `data-theme` to change; restores the scheme the page had.
 */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  if (!process.env.CORRAL_SCREENSHOTS) return;
  const before = await page.evaluate(() => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForFunction((t) => document.documentElement.dataset.theme === t, scheme, { timeout: 5_000 });
    await screenshot(page, `${name}-${scheme}`);
  }
  await page.emulateMedia({ colorScheme: before });
}
