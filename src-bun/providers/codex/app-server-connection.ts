/**
 * A JSON-RPC 2.0 client for one `codex app-server` process (Codex 0.169,
 * experimental): newline-delimited JSON messages on its stdio, without the
 * `"jsonrpc"` member (Codex neither sends nor needs it). Three kinds arrive
 * on stdout: responses `{id, result}` / `{id, error:{code, message}}`,
 * notifications `{method, params}`, and server requests `{id, method,
 * params}` (approvals), which the client answers with {@link AppServerConnection.respond}.
 * Every line is parsed defensively: a bad one is counted and kept for the
 * error message, never fatal. I/O only; what the messages mean is the
 * adapter's business (./app-server-adapter.ts).
 */
import type { FileSink } from 'bun';
import { readLines } from '../../ndjson/line-reader';
import { isObj, str } from '../raw-fields';
import { ProviderError } from '../types';

/** Sees every message on the wire, `in` from Codex and `out` to it (fixture recording). */
export type AppServerTap = (direction: 'in' | 'out', message: unknown) => void;

/** A JSON-RPC request id; Codex numbers its own server requests from 0. */
export type RequestId = string | number;

/** What the connection hands on: notifications, and server requests that wait for {@link AppServerConnection.respond}. */
export type AppServerHandlers = {
  notification(method: string, params: unknown): void;
  request(id: RequestId, method: string, params: unknown): void;
};

/** A JSON-RPC error answer from Codex, e.g. `-32600 no rollout found for thread id …`. */
export class AppServerRequestError extends Error {
  constructor(readonly method: string, readonly code: number, message: string) {
    super(message);
    this.name = 'AppServerRequestError';
  }
}

/** A running, initialized `codex app-server`. */
export type AppServerConnection = {
  readonly pid: number;
  /** The Codex version from `initialize`'s `userAgent` (`corral/0.169.0 (…)` -> `0.169.0`), if it says. */
  readonly version: string | undefined;
  /** Sends a request; resolves with its `result`, rejects with {@link AppServerRequestError}, or a {@link ProviderError} once Codex exits. */
  request(method: string, params: unknown): Promise<unknown>;
  /** Answers a server request. */
  respond(id: RequestId, result: unknown): void;
  /** Refuses a server request with a JSON-RPC error (`-32601` for a method Corral does not serve). */
  respondError(id: RequestId, code: number, message: string): void;
  /** Rejects with a {@link ProviderError} (exit status and stderr tail) once the process exits; never resolves. */
  readonly died: Promise<never>;
  /** Whether the process has exited. */
  readonly exited: boolean;
  /** Closes stdin (Codex exits on EOF in ~150 ms), then SIGKILLs it after `graceMs`. */
  close(graceMs: number): Promise<void>;
  /** SIGKILLs the process now. */
  kill(): void;
};

/** How the process is started: the Codex binary, extra `app-server` flags, and where. */
export type AppServerSpawn = {
  binary: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  handlers: AppServerHandlers;
  tap?: AppServerTap;
  /** How long `initialize` may take, ms. */
  startupTimeoutMs: number;
};

/** Keeps the last `max` characters of a growing log, for error messages. */
function tail(max: number) {
  let text = '';
  return {
    push(chunk: string) { text = (text + chunk).slice(-max); },
    get text() { return text.trim(); },
  };
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Spawns `<binary> app-server <args>` (not detached: it stays in the
 * sidecar's process group, which the main process kills as a group), and
 * runs the `initialize` / `initialized` handshake. Throws a
 * {@link ProviderError} when it cannot start, exits, or does not answer
 * within `startupTimeoutMs`.
 */
export async function startAppServer(opts: AppServerSpawn): Promise<AppServerConnection> {
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn([opts.binary, 'app-server', ...opts.args], { cwd: opts.cwd, env: opts.env, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
  } catch (error) {
    throw new ProviderError(`could not start Codex (${opts.binary}): ${errorText(error)}`);
  }
  const stdin = proc.stdin as FileSink;
  const stderr = tail(4000);
  const waiting = new Map<RequestId, { method: string; resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;

  void (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of proc.stderr as ReadableStream<Uint8Array>) stderr.push(decoder.decode(chunk, { stream: true }));
  })().catch(() => undefined);

  const reading = readLines(proc.stdout as ReadableStream<Uint8Array>, {
    line(text) {
      if (!text.trim()) return;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        stderr.push(`${text}\n`); // not a message: keep it for the error text
        return;
      }
      if (!isObj(message)) return;
      opts.tap?.('in', message);
      const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : undefined;
      const method = str(message.method);
      try {
        if (method !== undefined && id !== undefined) opts.handlers.request(id, method, message.params);
        else if (method !== undefined) opts.handlers.notification(method, message.params);
        else if (id !== undefined) {
          const w = waiting.get(id);
          if (!w) return;
          waiting.delete(id);
          if (isObj(message.error)) {
            w.reject(new AppServerRequestError(w.method, typeof message.error.code === 'number' ? message.error.code : 0, str(message.error.message) ?? 'request failed'));
          } else w.resolve(message.result);
        }
      } catch (error) {
        // A handler bug must not stop the reader: the turn would hang.
        console.error(`codex app-server: handling ${method ?? `response ${String(id)}`} failed: ${errorText(error)}`);
      }
    },
    oversized: (head) => stderr.push(`oversized message: ${head}\n`),
  });

  let exited = false;
  const died: Promise<never> = (async () => {
    await proc.exited;
    await reading.catch(() => undefined);
    exited = true;
    const error = new ProviderError([`Codex app-server exited (${proc.exitCode ?? proc.signalCode})`, stderr.text].filter(Boolean).join('\n'));
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    throw error;
  })();
  died.catch(() => undefined);

  const write = (message: Record<string, unknown>) => {
    if (exited) return;
    opts.tap?.('out', message);
    try {
      stdin.write(`${JSON.stringify(message)}\n`);
      void stdin.flush();
    } catch {
      // The pipe closed: `died` reports why.
    }
  };

  const request = (method: string, params: unknown) => {
    if (exited) return died;
    const id = nextId++;
    const answer = new Promise<unknown>((resolve, reject) => waiting.set(id, { method, resolve, reject }));
    write({ id, method, params });
    return answer;
  };

  let version: string | undefined;
  const conn: AppServerConnection = {
    pid: proc.pid,
    get version() { return version; },
    request,
    respond: (id, result) => write({ id, result }),
    respondError: (id, code, message) => write({ id, error: { code, message } }),
    died,
    get exited() { return exited; },
    async close(graceMs) {
      try {
        await stdin.end();
      } catch {
        // Already closed.
      }
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await proc.exited;
      clearTimeout(timer);
    },
    kill: () => proc.kill('SIGKILL'),
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderError(`Codex app-server did not answer initialize within ${opts.startupTimeoutMs} ms`)), opts.startupTimeoutMs);
  });
  try {
    const init = await Promise.race([
      request('initialize', { clientInfo: { name: 'corral', title: 'Corral', version: '0.1.0' }, capabilities: null }),
      died, timeout,
    ]);
    write({ method: 'initialized' });
    const agent = isObj(init) ? str(init.userAgent) : undefined;
    version = agent ? /^[^/\s]+\/(\d[\w.+-]*)/.exec(agent)?.[1] : undefined;
    return conn;
  } catch (error) {
    proc.kill('SIGKILL');
    throw error instanceof ProviderError ? error : new ProviderError(`Codex app-server initialize failed: ${errorText(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
