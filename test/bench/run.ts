/**
 * The end-to-end benchmarks of `npm run bench` (after the vitest ingest
 * bench): each prints its figures with their goals and whether they were met.
 * Needs the built UI (`vite build`) and Debian's Chromium; the firehose in
 * the desktop window also needs what the desktop e2e needs (it says so when
 * something is missing).
 * Run: `bun test/bench/run.ts [--quick] [--profile DIR]`: `--quick` runs
 * N = 10,000 only; `--profile DIR` writes CPU profiles of every process of
 * the firehose (Bun's main process, sidecar and agent; the page) to DIR and
 * prints where the time went.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatProfile, loadProfile } from './cpu-profile';
import { benchFirehose, firehoseFigures } from './firehose';
import { benchFirehoseDesktop, desktopFirehoseFigures, desktopFirehoseTitle, desktopMissing } from './firehose-desktop';
import { benchMarkdown, markdownFigures } from './markdown-chromium';
import { stolenMs } from './process-usage';
import { count, formatFigures, ms } from './report';
import { benchRestore, restoreFigures } from './restore';
import { benchScale, scaleFigures } from './scale';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const profileAt = args.indexOf('--profile');
const profileDir = profileAt >= 0 ? resolve(args[profileAt + 1] ?? 'bench-profile') : undefined;
if (profileDir) mkdirSync(profileDir, { recursive: true });
const started = performance.now();
const stolenAtStart = stolenMs();
/** The line that says how much CPU the host took from this machine (steal) since `since` (a `stolenMs()` reading). */
const stealSince = (since: number) => `  CPU the host took (steal) meanwhile: ${ms(stolenMs() - since)}`;

let stolenBefore = stolenMs();
const markdown = await benchMarkdown();
console.log(formatFigures(`\nStreaming markdown: a ${count(markdown.chars)}-character answer through MarkdownView in Chromium`, markdownFigures(markdown)));
console.log(stealSince(stolenBefore));

for (const run of await benchFirehose(quick ? [10_000] : [10_000, 50_000], { profileDir })) {
  console.log(formatFigures(`\nEnd-to-end firehose: ${count(run.n)} completed tool calls from an ACP agent into the web mode in Chromium`, firehoseFigures(run)));
}
const noDesktop = desktopMissing();
if (noDesktop) console.log(`\nEnd-to-end firehose in the desktop window: not run here (${noDesktop})`);
else for (const run of await benchFirehoseDesktop(quick ? [10_000] : [10_000, 50_000])) console.log(formatFigures(desktopFirehoseTitle(run.n), desktopFirehoseFigures(run)));

stolenBefore = stolenMs();
const restore = await benchRestore();
console.log(formatFigures(`\nRestore of a ${count(restore.messages)}-message session after a relaunch, in Chromium`, restoreFigures(restore)));
console.log(stealSince(stolenBefore));

stolenBefore = stolenMs();
const scale = await benchScale();
console.log(formatFigures(`\nScale: ${count(scale.sessions)} stored sessions across 20 projects, started in Chromium`, scaleFigures(scale)));
console.log(stealSince(stolenBefore));

if (profileDir) {
  for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
    console.log(`\n${formatProfile(file, loadProfile(join(profileDir, file)))}`);
  }
}
console.log(`\n(end-to-end benchmarks took ${((performance.now() - started) / 1000).toFixed(0)} s; the host took ${ms(stolenMs() - stolenAtStart)} of CPU from this machine meanwhile)`);
