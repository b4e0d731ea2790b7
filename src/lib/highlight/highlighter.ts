/**
 * Highlighting for the UI: `highlightCode` tokenizes in the highlight worker
 * (highlight.worker.ts), so loading shiki and tokenizing never take a frame
 * from streaming. Where workers are unavailable (or the worker fails to
 * load) it tokenizes on the main thread, in chunks that yield between them.
 * Callers show plain text first and paint the tokens when they arrive.
 */
import type { HighlightRequest } from './highlight.worker';
import type { Language } from './languages';
import type { CodeLine } from './tokenize';

export type { CodeLine, CodeToken, TokenKind } from './tokenize';

/** Code longer than this (characters) stays plain: the DOM of its tokens would cost more than the colour is worth. */
export const MAX_HIGHLIGHT_CHARS = 100_000;

type Tokenizer = (code: string, language: Language) => Promise<CodeLine[] | null>;

const onMainThread: Tokenizer = (code, language) =>
  import('./tokenize').then((m) => m.tokenize(code, language)).catch(() => null);

/** A tokenizer backed by the worker; null where workers cannot start. */
function inWorker(): Tokenizer | null {
  if (typeof Worker === 'undefined') return null;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./highlight.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  const pending = new Map<number, { code: string; language: Language; resolve: (lines: CodeLine[] | null) => void }>();
  let nextId = 1;
  let failed = false;
  worker.onmessage = (event: MessageEvent<{ id: number; lines: CodeLine[] | null }>) => {
    const request = pending.get(event.data.id);
    pending.delete(event.data.id);
    request?.resolve(event.data.lines);
  };
  // A worker script that cannot load (a webview that refuses module workers): do the pending work here instead.
  worker.onerror = () => {
    failed = true;
    worker.terminate();
    for (const { code, language, resolve } of pending.values()) void onMainThread(code, language).then(resolve);
    pending.clear();
  };
  return (code, language) => {
    if (failed) return onMainThread(code, language);
    return new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, { code, language, resolve });
      worker.postMessage({ id, code, language } satisfies HighlightRequest);
    });
  };
}

let tokenizer: Tokenizer | null = null;

/** Finished results, so a remounted row paints at once. */
const results = new Map<string, CodeLine[]>();
const RESULT_LIMIT = 200;
const resultKey = (code: string, language: Language) => `${language}\u0000${code}`;

/** The tokens of `code` if it was highlighted before (and is still cached), else null. Synchronous. */
export function cachedHighlight(code: string, language: Language): CodeLine[] | null {
  return results.get(resultKey(code, language)) ?? null;
}

/**
 * Highlights `code` as `language`: one `CodeLine` per line of `code` (split
 * at "\n"). Resolves to null when the code is longer than
 * {@link MAX_HIGHLIGHT_CHARS} or shiki or the grammar failed to load; never rejects.
 */
export async function highlightCode(code: string, language: Language): Promise<CodeLine[] | null> {
  const key = resultKey(code, language);
  const hit = results.get(key);
  if (hit) return hit;
  if (code.length > MAX_HIGHLIGHT_CHARS) return null;
  tokenizer ??= inWorker() ?? onMainThread;
  const lines = await tokenizer(code, language);
  if (!lines) return null;
  results.delete(key);
  if (results.size >= RESULT_LIMIT) results.delete(results.keys().next().value as string);
  results.set(key, lines);
  return lines;
}
