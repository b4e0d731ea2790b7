/**
 * Reads a CPU profile in the Chrome DevTools `.cpuprofile` format (written by
 * `bun --cpu-prof` and by CDP `Profiler.stop`: `nodes[]` with `id`,
 * `callFrame {functionName, url, lineNumber}` and `children`; `samples[]`
 * node ids) and sums self time per function, and per stage of the firehose
 * path (by the source file it runs in). Time is samples x the sampling
 * interval (1 ms for both writers here) for Bun, which records samples only
 * while JavaScript runs, so its `timeDeltas` are wall time including idle
 * waits; Chromium's profiles sample idle time too, and their deltas count.
 */
import { readFileSync } from 'node:fs';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
/** The parts of a `.cpuprofile` this reads. */
export type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas?: number[] };

/** The sampling interval both `bun --cpu-prof` (default) and the page profiler (set in firehose.ts) use, ms. */
export const SAMPLE_MS = 1;

/** Self time, ms, of one function or one stage. */
export type SelfTime = { name: string; ms: number };

/** Where a source file belongs on the firehose path; the first rule that matches names the stage. */
const STAGES: [RegExp, string][] = [
  [/node_modules\/zod|\/zod\//, 'zod validation'],
  [/@agentclientprotocol/, 'ACP SDK (JSON-RPC over stdio)'],
  [/providers\/acp\/adapter/, 'sidecar adaptation (ACP adapter)'],
  [/ndjson\/line-reader/, 'line splitting'],
  [/sidecar-process/, 'line parsing (JSON.parse) and validation call'],
  [/session-ingest|unacked-buffer|crash-recovery|session-manager/, 'seqId stamping and ingest'],
  [/core\/store/, 'SQLite statements'],
  [/web\/server|rpc\/dispatch/, 'WebSocket frames'],
  [/websocket-transport|electrobun|event-guard|electrobun-client/, 'WebSocket receive and RPC dispatch'],
  [/stores\/|transcript/, 'store ingest'],
  [/svelte|components\/|virtual-layout/, 'rendering (Svelte)'],
];

/** Loads a profile file. Throws if it is not JSON or lacks `nodes`/`samples`. */
export function loadProfile(file: string): CpuProfile {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  if (!Array.isArray(p.nodes) || !Array.isArray(p.samples)) throw new Error(`${file} is not a .cpuprofile`);
  return p;
}

/** Self time per node id, ms. */
function selfByNode(p: CpuProfile): Map<number, number> {
  const out = new Map<number, number>();
  // Chromium samples idle time too (an `(idle)` node), at irregular spacing: there its timeDeltas are the truth.
  const wallDeltas = p.timeDeltas && p.nodes.some((n) => n.callFrame.functionName === '(idle)');
  p.samples.forEach((id, i) => out.set(id, (out.get(id) ?? 0) + (wallDeltas ? (p.timeDeltas![i] ?? 0) / 1000 : SAMPLE_MS)));
  return out;
}

const shortUrl = (url: string) => url.replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/(src-bun|src|test)\//, '$1/').replace(/\?.*$/, '');

/** The `top` functions by self time, as `name (file:line)`, and the total sampled ms. */
export function topFunctions(p: CpuProfile, top = 25): { total: number; rows: SelfTime[] } {
  const byNode = selfByNode(p);
  const byName = new Map<string, number>();
  let total = 0;
  for (const node of p.nodes) {
    const t = byNode.get(node.id) ?? 0;
    if (t === 0) continue;
    total += t;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'}${url ? ` (${shortUrl(url)}:${lineNumber + 1})` : ''}`;
    byName.set(name, (byName.get(name) ?? 0) + t);
  }
  const rows = [...byName].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms).slice(0, top);
  return { total, rows };
}

/**
 * Self time per stage: a sample counts for the stage of the innermost frame
 * on its stack that lies in a known file; natives called from there (JSON.parse,
 * SQLite, socket writes) count for that stage too. Samples with no such frame
 * are `other` (`(idle)`, `(program)` and `(garbage collector)` are kept apart).
 */
export function stageTimes(p: CpuProfile): SelfTime[] {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const stageOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = stageOf.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const fn = node.callFrame.functionName;
    let stage: string | undefined;
    if (fn === '(idle)' || fn === '(program)' || fn === '(garbage collector)') stage = fn;
    else stage = STAGES.find(([re]) => re.test(node.callFrame.url))?.[1];
    if (!stage) {
      const up = parent.get(id);
      stage = up === undefined ? 'other' : resolve(up);
    }
    stageOf.set(id, stage);
    return stage;
  };
  const totals = new Map<string, number>();
  for (const [id, t] of selfByNode(p)) totals.set(resolve(id), (totals.get(resolve(id)) ?? 0) + t);
  return [...totals].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

/** A printable summary: stages, then the top functions. */
export function formatProfile(title: string, p: CpuProfile, top = 15): string {
  const { total, rows } = topFunctions(p, top);
  const pad = (ms: number) => `${ms.toFixed(0).padStart(7)} ms`;
  return [
    `${title}: ${total.toFixed(0)} ms sampled`,
    '  by stage:',
    ...stageTimes(p).map((s) => `  ${pad(s.ms)}  ${s.name}`),
    '  top functions (self time):',
    ...rows.map((r) => `  ${pad(r.ms)}  ${r.name}`),
  ].join('\n');
}
