/**
 * The sidecar entry: one process per session. Reads SidecarCommand lines on
 * stdin (src-bun/sidecar-protocol.ts), runs the provider, and writes
 * normalized AgentEvent lines on stdout. Each turn gets a fresh
 * AbortController, so an aborted turn never aborts the next one.
 */
import type { AgentEvent } from '../src/shared/events';
import { createRunner } from './providers';
import { ProviderError, type ProviderRunner, type RunnerConfig } from './providers/types';
import { createLineBatcher } from './ndjson/line-batcher';
import { readLines } from './ndjson/line-reader';
import { SidecarCommandSchema, type SidecarCommand } from './sidecar-protocol';
import { yieldCpuToUi } from './cpu-priority';

// Before the agent CLI starts (it inherits the session): the window keeps the CPU it needs while the agent streams.
const priority = yieldCpuToUi();
if (priority.kind === 'failed') console.error(`sidecar: could not lower the CPU priority of this session: ${priority.error}`);

// Events of one tick leave in one write; flushed before every exit.
const out = createLineBatcher((chunk) => process.stdout.write(chunk));
const write = (event: AgentEvent) => out.push(JSON.stringify(event));

let runner: ProviderRunner | null = null;
let turn: { controller: AbortController; done: Promise<void> } | null = null;

async function runTurn(prompt: string, controller: AbortController): Promise<void> {
  write({ type: 'status', status: 'running' });
  // Runners report a provider failure as an `error` event and then throw; show it once.
  let reported = false;
  const emit = (event: AgentEvent) => {
    if (event.type === 'error') reported = true;
    write(event);
  };
  try {
    if (!runner) throw new ProviderError('the sidecar got a prompt before its provider started');
    await runner.runTurn({ prompt, signal: controller.signal }, emit);
    if (controller.signal.aborted) write({ type: 'status', status: 'done', reason: 'stopped' });
    else write({ type: 'status', status: 'done', reason: 'completed' });
  } catch (e) {
    if (controller.signal.aborted) {
      write({ type: 'status', status: 'done', reason: 'stopped' });
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    const fatal = e instanceof ProviderError ? e.fatal : undefined;
    if (!reported) write({ type: 'error', message, ...(fatal ? { fatal } : {}) });
    write({ type: 'status', status: 'error', reason: 'provider_error', message });
  }
}

/** Settles once the provider from `start` is loaded; a prompt that arrives meanwhile waits for it. */
let ready: Promise<void> = Promise.resolve();

async function startProvider(next: RunnerConfig): Promise<void> {
  try {
    runner = await createRunner(next);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    write({ type: 'error', message, ...(e instanceof ProviderError && e.fatal ? { fatal: e.fatal } : {}) });
    write({ type: 'status', status: 'error', reason: 'provider_error', message });
  }
}

async function handle(command: SidecarCommand): Promise<void> {
  switch (command.type) {
    case 'start':
      ready = startProvider(command.config);
      return;
    case 'prompt': {
      await ready;
      if (turn) {
        write({ type: 'error', message: 'A turn is already running; stop it before sending another prompt' });
        return;
      }
      const controller = new AbortController();
      turn = { controller, done: runTurn(command.prompt, controller).finally(() => { turn = null; }) };
      return;
    }
    case 'abort':
      turn?.controller.abort(new Error('stopped by user'));
      return;
    case 'permission':
      // A stale answer (the turn ended, or the request was answered) changes nothing; say so on stderr only.
      if (!runner?.answerPermission?.(command.id, command.optionId, command.message)) {
        console.error(`sidecar: no pending permission request ${command.id} for option ${command.optionId}`);
      }
      return;
  }
}

async function main(): Promise<void> {
  await readLines(Bun.stdin.stream(), {
    line(text) {
      if (!text.trim()) return;
      let parsed;
      try {
        parsed = SidecarCommandSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        console.error(`sidecar: ignoring bad command line: ${text.slice(0, 200)}`);
        return;
      }
      void handle(parsed.data);
    },
    oversized: (head) => console.error(`sidecar: ignoring oversized command: ${head}`),
  });
  // stdin closed: the main process is gone or done with us.
  turn?.controller.abort(new Error('sidecar closing'));
  await turn?.done;
  await runner?.close();
  out.flush();
  process.exit(0);
}

/** On SIGTERM the turn is aborted and given up to 2 s to end, so the agent CLI exits (and is reaped) before we do. */
process.on('SIGTERM', () => {
  turn?.controller.abort(new Error('sidecar terminated'));
  void (async () => {
    await Promise.race([turn?.done, Bun.sleep(2000)]);
    await runner?.close();
    out.flush();
    process.exit(143);
  })();
});

void main();
