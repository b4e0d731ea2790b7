/**
 * Where the Ollama server is and whether it answers, through the `ollama`
 * npm library: used before each turn (so a stopped server is reported in
 * seconds, not after a TCP timeout) and by `providers.list`.
 */
import { Ollama } from 'ollama';
import { DEFAULT_OLLAMA_HOST } from '../../../src/shared/providers';

/** How long the reachability probe may take, ms. */
export const PROBE_TIMEOUT_MS = 3000;

/** The Ollama host: the setting, else `OLLAMA_HOST` from `env`, else http://127.0.0.1:11434. */
export function ollamaHost(setting: string | undefined, env: Record<string, string | undefined>): string {
  return setting?.trim() || env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST;
}

/** A fetch that gives up after `timeoutMs` unless the caller's own signal ends it first. */
export function fetchWithTimeout(timeoutMs: number): typeof fetch {
  const timed = (input: RequestInfo | URL, init?: RequestInit) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
  return timed as typeof fetch;
}

/** What a reachable server reports: its version and installed model names (`/api/tags`). */
export type OllamaProbe = { version: string; models: string[] };

/**
 * Asks `host` for `/api/version` and `/api/tags`. Throws an Error whose
 * message says what to do ("Ollama is not running at …") when the server
 * does not answer within `timeoutMs`.
 */
export async function probeOllama(host: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<OllamaProbe> {
  const client = new Ollama({ host, fetch: fetchWithTimeout(timeoutMs) });
  try {
    const { version } = await client.version();
    const { models } = await client.list();
    return { version, models: models.map((m) => m.name) };
  } catch (error) {
    const why = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error.message) : String(error);
    throw new Error(`Ollama is not running at ${host} (${why}). Start it with \`ollama serve\`, or set the Ollama host in Settings.`);
  }
}
