/**
 * The page of the markdown streaming benchmark (test/bench/markdown-chromium.ts):
 * the real `MarkdownView` with the app's stylesheet, in Chromium. Exposes
 * `window.__markdownBench`: `once()` mounts the whole answer, `streamed()`
 * feeds it as deltas, each in its own task as when it arrives over RPC; both
 * end after two animation frames, so the layout and paint they caused are
 * done. The runner measures the page's main-thread task time around each
 * call (CDP `Performance.getMetrics`, `TaskDuration`).
 */
import { makeAnswer } from '../markdown-answer';
import { mountMarkdown } from '../markdown-host.svelte';

const CHARS = 50_000;
const DELTAS = 2_000;
let runs = 0;
/** Every run gets its own text, so no cache from an earlier run answers it. */
const freshAnswer = () => makeAnswer(CHARS, `Run ${++runs}.`);

/**
 * Yields to the event loop without the 4 ms clamp of nested timers: one
 * message over one channel, as the app's deltas come over one socket. (A new
 * channel per delta cost the page 2,000 channels and their garbage, about
 * 20 ms of the stream's time that the app never pays.)
 */
const channel = new MessageChannel();
let wake: (() => void) | undefined;
channel.port1.onmessage = () => wake?.();
const nextTask = () => new Promise<void>((resolve) => {
  wake = resolve;
  channel.port2.postMessage(null);
});
const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
const twoFrames = async () => { await nextFrame(); await nextFrame(); };

async function once(): Promise<void> {
  const view = mountMarkdown(freshAnswer());
  await twoFrames();
  view.destroy();
}

/** Streams one answer; returns the longest single delta (its script and DOM work; layout waits for the frame, as in the app), ms. */
async function streamed(): Promise<number> {
  const text = freshAnswer();
  const step = Math.ceil(text.length / DELTAS);
  const view = mountMarkdown('');
  let longestStepMs = 0;
  for (let end = step; end < text.length + step; end += step) {
    await nextTask();
    const t = performance.now();
    view.show(text.slice(0, end));
    longestStepMs = Math.max(longestStepMs, performance.now() - t);
  }
  // The view may show a long delta over several frames: the stream ends once it shows the whole text.
  for (let frames = 0; view.target.querySelector('.markdown')?.getAttribute('data-chars') !== String(text.length); frames++) {
    if (frames > 1000) throw new Error('the streamed answer never showed all of its text');
    await nextFrame();
  }
  await twoFrames();
  if (!view.target.textContent?.includes('Step 1:')) throw new Error('the streamed answer did not render');
  if (!view.target.textContent?.includes(text.slice(-20).trim())) throw new Error('the streamed answer did not render its end');
  view.destroy();
  return longestStepMs;
}

(window as unknown as { __markdownBench: unknown }).__markdownBench = { once, streamed, chars: CHARS, deltas: DELTAS };
