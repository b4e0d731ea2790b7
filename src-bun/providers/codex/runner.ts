/**
 * The Codex provider runner: one `codex exec --json` process per turn (the
 * CLI itself, not `@openai/codex-sdk`), resumed on the thread id so
 * follow-ups continue the same Codex thread. I/O only; the mapping is the
 * pure adapter's job.
 *
 * Why the CLI and not the SDK: the SDK (0.163) pins its own `@openai/codex`
 * 0.163 and only wraps `codex exec --experimental-json`; it would ship a
 * second 150 MB binary, lag the CLI we test (0.169, which refuses the SDK's
 * `approvalPolicy: 'untrusted'`), and hide the process, whose signals and
 * process group Corral needs to control for stop.
 */
import type { AgentEvent, Approvals } from '../../../src/shared/events';
import type { CodexSandbox, PermissionMode } from '../../../src/shared/providers';
import { readLines } from '../../ndjson/line-reader';
import { isObj, objects, str } from '../raw-fields';
import { ProviderError, type ProviderRunner, type RunnerConfig, type Turn } from '../types';
import { createCodexAdapter } from './adapter';
import { bundledCodexVersion, resolveCodexBinary } from './binary';
import { codexHomeOf, createRolloutEdits, type PendingChange } from './rollout-edits';

/** How long Codex may take to exit after SIGINT before it is killed, ms. It exits in ~40 ms when healthy. */
export const STOP_GRACE_MS = 1000;

/** Codex approval policies Corral uses (0.169 refuses the older `untrusted`). */
export type CodexApproval = 'on-request' | 'never';

/**
 * Sandbox and approval policy per permission mode, after Codex's own presets
 * ("Read Only", "Auto", "Full Access"). `codex exec` shows no approval
 * prompt, so nothing outside the sandbox is ever granted under `on-request`;
 * file edits inside the workspace need no approval in `workspace-write`,
 * which is why `default` and `acceptEdits` map alike. An explicit `sandbox` wins.
 */
export function codexPolicy(mode: PermissionMode, sandbox?: CodexSandbox): { sandbox: CodexSandbox; approval: CodexApproval } {
  const preset: { sandbox: CodexSandbox; approval: CodexApproval } =
    mode === 'plan' ? { sandbox: 'read-only', approval: 'on-request' }
      : mode === 'bypassPermissions' ? { sandbox: 'danger-full-access', approval: 'never' }
        : { sandbox: 'workspace-write', approval: 'on-request' };
  return sandbox ? { ...preset, sandbox } : preset;
}

/**
 * What the pane header says about approvals: `codex exec` offers no approval
 * channel (its JSON events carry no approval request), so Codex runs
 * unattended, confined only by its sandbox.
 */
export function codexApprovals(config: Pick<RunnerConfig, 'permissionMode' | 'sandbox'>): Approvals {
  return { policy: 'unattended', sandbox: codexPolicy(config.permissionMode, config.sandbox).sandbox };
}

/**
 * The `codex` argv of one turn (exported for tests). The prompt is read from
 * stdin (`-`), so it may be any length and may start with a dash.
 * `threadId` resumes that thread (`exec … resume <id> -`).
 */
export function codexArgs(config: RunnerConfig, threadId: string | undefined): string[] {
  const { sandbox, approval } = codexPolicy(config.permissionMode, config.sandbox);
  const args = ['exec', '--json', '--skip-git-repo-check', '--sandbox', sandbox, '-c', `approval_policy="${approval}"`];
  if (config.model) args.push('-m', config.model);
  // TOML basic strings accept JSON's escapes.
  if (config.systemPrompt) args.push('-c', `developer_instructions=${JSON.stringify(config.systemPrompt)}`);
  if (threadId) args.push('resume', threadId);
  args.push('-');
  return args;
}

/** A completed `file_change` item of a raw `codex exec --json` event: its item id and changed files. */
function completedFileChange(raw: unknown): PendingChange | undefined {
  if (!isObj(raw) || raw.type !== 'item.completed' || !isObj(raw.item) || raw.item.type !== 'file_change') return undefined;
  const itemId = str(raw.item.id);
  const changes = objects(raw.item.changes).flatMap((c) => (str(c.path) ? [{ path: c.path as string, kind: str(c.kind) ?? 'update' }] : []));
  return itemId && changes.length > 0 ? { itemId, changes } : undefined;
}

/** Keeps the last `max` characters of a growing log, for error messages. */
function tail(max: number) {
  let text = '';
  return {
    push(chunk: string) { text = (text + chunk).slice(-max); },
    get text() { return text.trim(); },
  };
}

/** Reads a byte stream to its end as text chunks (stderr). */
async function drain(stream: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) onText(decoder.decode(chunk, { stream: true }));
}

/**
 * Creates the Codex runner. Each `runTurn` spawns `codex exec --json` in
 * `config.cwd` with `config.env` (not detached: it stays in the sidecar's
 * process group, which the main process kills on stop), writes the prompt
 * to its stdin, and emits the adapted events as lines arrive. The thread id
 * comes from `config.resumeId` or the first `thread.started`. A completed
 * `file_change` item's tool calls are sent again with their edits, read from
 * the thread's rollout file (./rollout-edits.ts). A failed turn
 * is emitted (`error` event) and then thrown as a {@link ProviderError}. An
 * abort sends SIGINT, then SIGKILL after {@link STOP_GRACE_MS}, and resolves
 * quietly.
 */
export function createCodexRunner(config: RunnerConfig): ProviderRunner {
  let threadId = config.resumeId;
  let turnCount = 0;
  let running: ReturnType<typeof Bun.spawn> | undefined;
  const version = config.executable ? undefined : bundledCodexVersion() ?? undefined;
  const patchEdits = createRolloutEdits(codexHomeOf(config.env), config.cwd);

  async function runTurn(turn: Turn, emit: (event: AgentEvent) => void): Promise<void> {
    if (turn.signal.aborted) return;
    if (running) throw new ProviderError('a Codex turn is already running');
    const binary = resolveCodexBinary(config.executable, config.env);
    if (!binary) {
      throw new ProviderError(config.executable
        ? `Codex executable not found at ${config.executable}`
        : 'Codex CLI not found: the bundled @openai/codex has no binary for this platform and `codex` is not on PATH');
    }
    const stderr = tail(4000);
    // Codex restarts its item ids in every process; a per-turn prefix keeps event ids unique in the session.
    const adapter = createCodexAdapter({ idPrefix: `t${++turnCount}-${crypto.randomUUID().slice(0, 8)}`, model: config.model, cwd: config.cwd, version });
    patchEdits.begin(threadId);
    const editEvents = () => patchEdits.resolve(threadId).flatMap(([itemId, edits]) => adapter.fileChangeEdits(itemId, edits));
    let proc: ReturnType<typeof Bun.spawn>;
    try {
      proc = Bun.spawn([binary.path, ...codexArgs(config, threadId)], {
        cwd: config.cwd, env: config.env, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe',
      });
    } catch (error) {
      throw new ProviderError(`could not start Codex (${binary.path}): ${error instanceof Error ? error.message : String(error)}`);
    }
    running = proc;
    let failure: Extract<AgentEvent, { type: 'error' }> | undefined;
    let completed = false;
    let hardStop: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      proc.kill('SIGINT');
      hardStop = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
    };
    turn.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const stdin = proc.stdin as import('bun').FileSink;
      stdin.write(turn.prompt);
      await stdin.end();
    } catch {
      // Codex exited before reading its prompt; its exit code and stderr say why.
    }
    const stderrDone = drain(proc.stderr as ReadableStream<Uint8Array>, (t) => stderr.push(t)).catch(() => undefined);
    try {
      await readLines(proc.stdout as ReadableStream<Uint8Array>, {
        line(text) {
          if (!text.trim()) return;
          let raw: unknown;
          try {
            raw = JSON.parse(text);
          } catch {
            stderr.push(`${text}\n`); // not an event: keep it for the error message
            return;
          }
          if ((raw as { type?: unknown }).type === 'turn.completed') completed = true;
          const events = adapter.adapt(raw);
          const change = completedFileChange(raw);
          if (change) {
            patchEdits.add(change);
            // The calls with their edits go before the results, so no call shows as running again after its result.
            const firstResult = events.findIndex((e) => e.type === 'tool_result');
            events.splice(firstResult < 0 ? events.length : firstResult, 0, ...editEvents());
          }
          for (const event of events) {
            if (event.type === 'init') {
              threadId = event.providerSessionId;
              emit({ ...event, approvals: codexApprovals(config) });
              continue;
            }
            if (event.type === 'error' && turn.signal.aborted) continue;
            if (event.type === 'error') failure = event;
            emit(event);
          }
        },
        oversized: (head) => stderr.push(`oversized event: ${head}\n`),
      });
      await proc.exited;
      await stderrDone;
      // The rollout is complete once Codex has exited: patches it had not written yet are there now.
      for (const event of editEvents()) emit(event);
    } finally {
      turn.signal.removeEventListener('abort', onAbort);
      clearTimeout(hardStop);
      if (running === proc) running = undefined;
    }
    if (turn.signal.aborted) return;
    if (failure && !completed) throw new ProviderError(failure.message, failure.fatal);
    if (proc.exitCode !== 0 || !completed) {
      const why = proc.exitCode !== 0 ? `Codex exited with ${proc.exitCode ?? proc.signalCode}` : 'Codex ended without finishing the turn';
      throw new ProviderError([why, stderr.text].filter(Boolean).join('\n'));
    }
  }

  return {
    runTurn,
    async close() {
      running?.kill('SIGKILL');
    },
  };
}
