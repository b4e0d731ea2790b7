/**
 * A scripted stand-in for model APIs, for running real agent CLIs offline.
 * It listens on 127.0.0.1 (port 0 by default), routes each request to the
 * first dialect that claims it, and records every request. See
 * `scenarios.ts` for the `[scenario:<name>]` prompt tags.
 */
import { anthropicDialect } from './anthropic';
import { geminiDialect } from './gemini';
import { ollamaDialect } from './ollama';
import { openaiDialect } from './openai';
import { EMPTY_SUMMARY, type Dialect, type DialectContext } from './dialect';
import type { ScenarioOptions } from './scenarios';
import { sleep } from './streaming';
import type { RecordedRequest } from './types';

/** Options of {@link startModelServer}; all optional. */
export type ModelServerOptions = ScenarioOptions & {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Called with one line per request, e.g. `POST /v1/messages scenario=tool -> 200`. */
  log?: (line: string) => void;
  /** Dialects to serve, first match wins; default: all of {@link DEFAULT_DIALECTS}. */
  dialects?: Dialect[];
};

/** A running server. `url` has no trailing slash, e.g. `http://127.0.0.1:40123`. */
export type ModelServer = {
  url: string;
  port: number;
  /** Every request so far, oldest first; the array is live (tests may read or clear it). */
  requests: RecordedRequest[];
  /** Ends open streams cleanly (stalled ones included), then closes the listener. Idempotent. */
  stop(): Promise<void>;
};

/** Every dialect the server knows; their routes do not overlap. */
export const DEFAULT_DIALECTS: Dialect[] = [anthropicDialect, openaiDialect, geminiDialect, ollamaDialect];

/** Starts the scripted model server on 127.0.0.1. */
export async function startModelServer(opts: ModelServerOptions = {}): Promise<ModelServer> {
  const dialects = opts.dialects ?? DEFAULT_DIALECTS;
  const requests: RecordedRequest[] = [];
  const stopping = new AbortController();
  const idPrefix = Math.random().toString(16).slice(2, 10);
  let idCounter = 0;
  const scenarioOptions: ScenarioOptions = { slowDeltaMs: opts.slowDeltaMs, slowDefaultSeconds: opts.slowDefaultSeconds };

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: opts.port ?? 0,
    // Stalled (`silent`) and `slow` streams must not be cut by Bun's idle timeout.
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const record: RecordedRequest = {
        method: request.method, path: url.pathname, query: url.search, dialect: 'none',
        ...EMPTY_SUMMARY, status: 404, receivedAt: Date.now(),
      };
      requests.push(record);
      const ctx: DialectContext = {
        signal: AbortSignal.any([stopping.signal, request.signal]),
        nextId: (prefix) => `${prefix}${idPrefix}_${++idCounter}`,
        scenarioOptions,
      };
      let response: Response | undefined;
      for (const dialect of dialects) {
        const answer = await dialect.handle(request, url, ctx);
        if (!answer) continue;
        Object.assign(record, answer.summary, { dialect: dialect.name });
        response = answer.response;
        break;
      }
      // Claude Code probes `HEAD /` at start; anything unrouted gets a 404 like a real API would.
      response ??= request.method === 'HEAD'
        ? new Response(null, { status: 404 })
        : Response.json({ type: 'error', error: { type: 'not_found_error', message: `no route for ${request.method} ${url.pathname}` } }, { status: 404 });
      record.status = response.status;
      response = endMarked(response, () => (record.endedAt ??= Date.now()));
      opts.log?.(`${request.method} ${url.pathname}${url.search}${record.scenario ? ` scenario=${record.scenario}` : ''}${record.isToolResultFollowUp ? ' (tool result)' : ''} -> ${response.status}`);
      return response;
    },
  });

  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port as number,
    requests,
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        // Give aborted streams a moment to write their end, then drop whatever is left.
        await Promise.race([server.stop(false), sleep(300, new AbortController().signal)]);
        await server.stop(true);
      })();
      return stopped;
    },
  };
}

/** The same response, calling `ended` once its body has been sent in full or cancelled (a client that aborted). */
function endMarked(response: Response, ended: () => void): Response {
  if (!response.body) {
    ended();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await reader.read();
      if (next.done) {
        ended();
        controller.close();
      } else controller.enqueue(next.value);
    },
    async cancel(reason) {
      ended();
      await reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
