/**
 * The highlight worker: tokenizes code off the main thread, so neither
 * loading shiki and a grammar nor a long block ever delays a frame.
 * Request: `{ id: number, code: string, language: Language }`.
 * Answer: `{ id, lines: CodeLine[] }`, or `{ id, lines: null }` when shiki or
 * the grammar failed to load.
 */
import type { Language } from './languages';
import { tokenize } from './tokenize';

/** A request to the worker. */
export interface HighlightRequest {
  id: number;
  code: string;
  language: Language;
}

self.onmessage = async (event: MessageEvent<HighlightRequest>) => {
  const { id, code, language } = event.data;
  const lines = await tokenize(code, language).catch(() => null);
  self.postMessage({ id, lines });
};
