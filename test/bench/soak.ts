/**
 * Soak: 20 sessions (one per project, the firehose agent's `trickle` prompt)
 * stream one completed tool call every 250 ms each for the stream time, then
 * everything stays idle. Samples the main process's RSS and the page's heap
 * (after a GC) through the stream, and the CPU time of the main process and
 * of Chromium while idle. Separate from `npm run bench` because it is long.
 *
 * Run: `bun test/bench/soak.ts [--minutes M] [--idle-seconds S]` (defaults:
 * 10 minutes of streaming, 60 s idle). Needs the built UI (`vite build`).
 * Goals (issue 12): RSS and heap flat within ±10 % after warm-up (the first
 * fifth of the stream), CPU with everything idle under 1 %.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from 'bun:sqlite';
import { addProject, eventually, openBrowser, putSettings, scratch, sendPrompt, startCorral } from '../e2e/harness';
import { FIREHOSE_AGENT } from './firehose-raw';
import { heapAfterGc } from './page-probes';
import { cpuDelta, cpuMsByRole, rssBytes } from './process-usage';
import { formatFigures, mb, type Figure } from './report';

const SESSIONS = 20;
const INTERVAL_MS = 250;
const SAMPLES = 10;

/** Sessions whose turn has not ended, from the database. */
function runningSessions(dir: string): number {
  const db = new Database(join(dir, 'corral.db'), { readonly: true });
  try {
    return (db.query("SELECT COUNT(*) AS n FROM sessions WHERE status IN ('starting', 'running')").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  return v;
};
const streamSeconds = Math.round(arg('--minutes', 10) * 60);
const idleSeconds = arg('--idle-seconds', 60);

const root = scratch('bench-soak');
const dataDir = join(root, 'data');
const corral = await startCorral({ dataDir, env: { HOME: join(root, 'home') } });
putSettings(dataDir, { max_sessions: SESSIONS, provider_settings: { acp: { command: `${process.execPath} ${FIREHOSE_AGENT}` } } });
const browser = await openBrowser();
const { page } = browser;
try {
  await page.goto(corral.url);
  for (let i = 0; i < SESSIONS; i++) {
    const name = `soak-${i}`;
    mkdirSync(join(root, name));
    const p = await addProject(page, join(root, name), name);
    await p.getByRole('combobox', { name: 'Provider' }).selectOption('acp');
    await sendPrompt(p, `trickle ${streamSeconds} ${INTERVAL_MS}`);
  }
  console.log(`${SESSIONS} sessions streaming for ${streamSeconds} s…`);
  const samples: { rss: number; heap: number }[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await Bun.sleep((streamSeconds * 1000) / SAMPLES);
    samples.push({ rss: rssBytes(corral.proc.pid) ?? Number.NaN, heap: await heapAfterGc(page) });
    console.log(`  sample ${i + 1}/${SAMPLES}: main RSS ${mb(samples.at(-1)!.rss)}, UI heap ${mb(samples.at(-1)!.heap)}`);
  }
  // Hidden panes are out of the accessibility tree: the database says when every turn ended.
  await eventually(() => Promise.resolve(runningSessions(dataDir)), (n) => n === 0, 'every soak turn to end', 120_000);
  await Bun.sleep(5000); // the last persist round trips
  const before = cpuMsByRole(process.pid);
  await Bun.sleep(idleSeconds * 1000);
  const idle = cpuDelta(before, cpuMsByRole(process.pid));
  const pct = (cpuMs: number) => (100 * cpuMs) / (idleSeconds * 1000);

  const warm = samples.slice(Math.ceil(SAMPLES / 5));
  const drift = (xs: number[]) => (xs.at(-1)! - xs[0]!) / xs[0]!;
  const rssDrift = drift(warm.map((s) => s.rss));
  const heapDrift = drift(warm.map((s) => s.heap));
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;
  const figures: Figure[] = [
    { label: 'main RSS after warm-up', value: `${mb(warm[0]!.rss)} -> ${mb(warm.at(-1)!.rss)} (${signed(rssDrift)})`, goal: 'within ±10 %', met: Math.abs(rssDrift) <= 0.1 },
    { label: 'UI heap after warm-up', value: `${mb(warm[0]!.heap)} -> ${mb(warm.at(-1)!.heap)} (${signed(heapDrift)})`, goal: 'within ±10 %', met: Math.abs(heapDrift) <= 0.1 },
    { label: 'idle CPU, main process', value: `${pct(idle.main).toFixed(2)} %`, goal: '< 1 %', met: pct(idle.main) < 1 },
    { label: 'idle CPU, Chromium', value: `${pct(idle.chromium).toFixed(2)} %`, goal: '< 1 %', met: pct(idle.chromium) < 1 },
    { label: 'idle CPU, 20 idle sidecars and agents', value: `${pct(idle.sidecar + idle.agent).toFixed(2)} %` },
  ];
  console.log(formatFigures(`\nSoak: ${SESSIONS} sessions streaming a tool call every ${INTERVAL_MS} ms for ${streamSeconds} s, then ${idleSeconds} s idle`, figures));
} finally {
  await browser.close();
  await corral.stop('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}
