/**
 * Scenario logic of the scripted model server, independent of any wire
 * dialect: a {@link ParsedTurn} in, a {@link ScriptedReply} out. Scenarios are
 * chosen by a `[scenario:<name>]` or `[scenario:<name>:<arg>]` tag in the
 * latest human prompt; an untagged prompt runs `tool`.
 */
import { SCENARIOS, type ParsedTurn, type ScenarioName, type ScenarioTag, type ScriptedBlock, type ScriptedReply } from './types';

/** Knobs of the scenarios; all optional. */
export type ScenarioOptions = {
  /** Interval between text deltas of the `slow` scenario, ms (default 200). */
  slowDeltaMs?: number;
  /** Length of a `slow` stream when the tag gives none, seconds (default 10). */
  slowDefaultSeconds?: number;
};

/** The shell command of the `tool` and `thinking` scenarios; it writes and prints `corral-ok`. */
export const OK_COMMAND = 'echo corral-ok > corral-ok.txt && cat corral-ok.txt';
/** The failing command of the `tool-error` scenario (cat of a missing file, exit status 1). */
export const FAILING_COMMAND = 'cat corral-missing-file.txt';
/** File name and content written by the `write` scenario (relative to the agent's cwd). */
export const WRITE_FILE = { name: 'corral-write.txt', content: 'written by the scripted model\n' };
/**
 * The `edit` scenario's file: the test puts `before` in the agent's cwd, the
 * agent replaces `oldString` by `newString` in it (line 4 `delta` becomes
 * `DELTA` and a new line 5 `delta two`), which leaves `after`.
 */
export const EDIT_FILE = {
  name: 'corral-edit.txt',
  before: 'alpha\nbravo\ncharlie\ndelta\necho\nfoxtrot\ngolf\nhotel\n',
  oldString: 'charlie\ndelta\n',
  newString: 'charlie\nDELTA\ndelta two\n',
  after: 'alpha\nbravo\ncharlie\nDELTA\ndelta two\necho\nfoxtrot\ngolf\nhotel\n',
} as const;
/** Final texts, exported so tests can assert on them. */
export const FINAL_TEXT = {
  tool: 'Done: the command printed corral-ok.',
  toolError: 'The command failed, as this scenario expects.',
  write: `Done: wrote ${WRITE_FILE.name}.`,
  edit: `Done: edited ${EDIT_FILE.name}.`,
  text: 'Hello from the scripted model.',
  thinking: 'The user wants a quick shell check. I will run one command and report its output.',
  thinkingIntro: 'Let me run a quick command.',
  noTool: 'No suitable tool was offered, so here is a plain answer.',
  webSearch: 'The search found the scripted result.',
} as const;
/** The file the `append-then-stall` scenario appends one line to (relative to the agent's cwd). */
export const APPEND_FILE = 'corral-append.txt';
/** The command of the `append-then-stall` scenario: run twice, it would leave two lines. */
export const APPEND_COMMAND = `echo appended >> ${APPEND_FILE}`;
/** Query of the `web-search` scenario (a hosted tool: the provider runs it, the agent only reports it). */
export const WEB_SEARCH_QUERY = 'corral scripted search';

const TAG = /\[scenario:([a-z0-9-]+)(?::([^\]\s]+))?\]/gi;

/**
 * Finds the scenario tag in a prompt's text: `"[scenario:slow:10] go"` ->
 * `{ name: 'slow', arg: '10' }`. The last tag wins, because Claude Code merges
 * a prompt that follows a failed request into the same user message. Untagged
 * text gives `tool`; an unknown name gives `text` with `arg: 'unknown:<name>'`,
 * so a typo shows up in the reply.
 */
export function parseScenarioTag(promptText: string | undefined): ScenarioTag {
  const match = promptText ? [...promptText.matchAll(TAG)].at(-1) : undefined;
  if (!match) return { name: 'tool' };
  const name = match[1]!.toLowerCase();
  if ((SCENARIOS as readonly string[]).includes(name)) return { name: name as ScenarioName, arg: match[2] };
  return { name: 'text', arg: `unknown:${name}` };
}

/** A stable pseudo-signature for scripted thinking blocks (agents pass it back verbatim). */
function signatureFor(text: string): string {
  return `corral-sig-${Buffer.from(text).toString('base64').slice(0, 24)}`;
}

/** Picks the shell tool among the advertised ones: `Bash` first, then any name that looks like a shell. */
function pickShellTool(toolNames: string[]): string | undefined {
  return toolNames.find((n) => n === 'Bash') ?? toolNames.find((n) => /bash|shell|exec|command/i.test(n));
}

/** Codex's `exec_command` takes `{cmd}`; Claude's `Bash` and Gemini's `run_shell_command` take `{command, description}`. */
function shellCall(toolNames: string[], command: string, description: string): ScriptedBlock | undefined {
  const name = pickShellTool(toolNames);
  if (!name) return undefined;
  return name === 'exec_command' ? { type: 'tool_use', name, input: { cmd: command } } : { type: 'tool_use', name, input: { command, description } };
}

/** The `*** Begin Patch` text that adds {@link WRITE_FILE} through Codex's freeform `apply_patch` tool. */
export const WRITE_PATCH = `*** Begin Patch\n*** Add File: ${WRITE_FILE.name}\n${WRITE_FILE.content.split('\n').filter(Boolean).map((l) => `+${l}`).join('\n')}\n*** End Patch\n`;

/**
 * A file write with whichever write tool is advertised: Claude's `Write` and
 * Gemini's `write_file` (`{file_path, content}`, absolute path when the cwd is
 * known), or Codex's freeform `apply_patch`.
 */
function writeCall(turn: ParsedTurn): ScriptedBlock | undefined {
  const filePath = turn.cwd ? `${turn.cwd.replace(/\/+$/, '')}/${WRITE_FILE.name}` : WRITE_FILE.name;
  const name = ['Write', 'write_file'].find((n) => turn.toolNames.includes(n));
  if (name) return { type: 'tool_use', name, input: { file_path: filePath, content: WRITE_FILE.content } };
  if (turn.toolNames.includes('apply_patch')) return { type: 'tool_use', name: 'apply_patch', input: {}, freeform: WRITE_PATCH };
  return undefined;
}

/** The `*** Begin Patch` text that makes {@link EDIT_FILE}'s change through Codex's freeform `apply_patch` tool. */
export const EDIT_PATCH = `*** Begin Patch\n*** Update File: ${EDIT_FILE.name}\n@@\n charlie\n-delta\n+DELTA\n+delta two\n echo\n*** End Patch\n`;

/**
 * The `edit` scenario's next call, by how many replies the model gave so far:
 * Claude Code's `Edit` refuses a file it has not read, so `Read` comes first
 * (`Edit {file_path, old_string, new_string}` once the read result is back);
 * Codex takes one `apply_patch` update. Undefined once the edit is done.
 */
function editCall(turn: ParsedTurn): ScriptedBlock | undefined {
  const filePath = turn.cwd ? `${turn.cwd.replace(/\/+$/, '')}/${EDIT_FILE.name}` : EDIT_FILE.name;
  if (turn.toolNames.includes('Edit') && turn.toolNames.includes('Read')) {
    if (turn.historyTurns === 0) return { type: 'tool_use', name: 'Read', input: { file_path: filePath } };
    if (turn.historyTurns === 1) return { type: 'tool_use', name: 'Edit', input: { file_path: filePath, old_string: EDIT_FILE.oldString, new_string: EDIT_FILE.newString } };
    return undefined;
  }
  if (turn.toolNames.includes('apply_patch') && !turn.isToolResultFollowUp) return { type: 'tool_use', name: 'apply_patch', input: {}, freeform: EDIT_PATCH };
  return undefined;
}

function text(textValue: string): ScriptedReply {
  return { kind: 'stream', blocks: [{ type: 'text', text: textValue }], stop: 'end_turn' };
}

/** The `slow` stream: "tick N" pieces every `slowDeltaMs` for `arg` seconds (or `slowDefaultSeconds`). */
function slowText(arg: string | undefined, options: ScenarioOptions): ScriptedReply {
  const seconds = Number(arg);
  const durationMs = 1000 * (Number.isFinite(seconds) && seconds > 0 ? seconds : options.slowDefaultSeconds ?? 10);
  return { kind: 'stream', blocks: [{ type: 'text', text: 'tick ' }], stop: 'end_turn', pacing: { deltaMs: options.slowDeltaMs ?? 200, durationMs } };
}

/** Reply to a fresh prompt whose scenario calls one tool; `text` fallback when the tool is not offered. */
function callOrFallback(lead: ScriptedBlock[], call: ScriptedBlock | undefined): ScriptedReply {
  if (!call) return { kind: 'stream', blocks: [...lead, { type: 'text', text: FINAL_TEXT.noTool }], stop: 'end_turn' };
  return { kind: 'stream', blocks: [...lead, call], stop: 'tool_use' };
}

/** Decides the model's reply to one request. Pure: same turn and options, same reply. */
export function replyFor(turn: ParsedTurn, options: ScenarioOptions = {}): ScriptedReply {
  const { name, arg } = turn.scenario;
  switch (name) {
    case 'http500':
      return { kind: 'error', status: 500, errorType: 'api_error', message: 'Internal server error' };
    case 'prompt-too-long':
      return { kind: 'error', status: 400, errorType: 'invalid_request_error', message: 'prompt is too long: 250000 tokens > 200000 maximum' };
    case 'auth':
      return { kind: 'error', status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' };
    case 'quota':
      return {
        kind: 'error', status: 400, errorType: 'invalid_request_error',
        message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      };
    case 'silent':
      return { kind: 'stream', blocks: [], stop: 'end_turn', stall: true };
    case 'slow':
      return slowText(arg, options);
    case 'text':
      return text(arg?.startsWith('unknown:') ? `Unknown scenario "${arg.slice(8)}". ${FINAL_TEXT.text}` : FINAL_TEXT.text);
    case 'tool-error':
      if (turn.isToolResultFollowUp) return text(FINAL_TEXT.toolError);
      return callOrFallback([], shellCall(turn.toolNames, FAILING_COMMAND, 'Read a file that does not exist'));
    case 'write': {
      if (turn.isToolResultFollowUp) return text(FINAL_TEXT.write);
      return callOrFallback([], writeCall(turn));
    }
    case 'edit': {
      const call = editCall(turn);
      if (turn.isToolResultFollowUp && !call) return text(FINAL_TEXT.edit);
      return callOrFallback([], call);
    }
    case 'thinking': {
      if (turn.isToolResultFollowUp) return text(FINAL_TEXT.tool);
      const thinking: ScriptedBlock = { type: 'thinking', text: FINAL_TEXT.thinking, signature: signatureFor(FINAL_TEXT.thinking) };
      const call = shellCall(turn.toolNames, OK_COMMAND, 'Write and print corral-ok');
      return callOrFallback([thinking, { type: 'text', text: FINAL_TEXT.thinkingIntro }], call);
    }
    case 'append-then-stall':
      // The command runs, then the turn hangs: a crash now is a crash after a tool call, before the turn ended.
      if (turn.isToolResultFollowUp) return { kind: 'stream', blocks: [], stop: 'end_turn', stall: true };
      return callOrFallback([], shellCall(turn.toolNames, APPEND_COMMAND, 'Append a line to a file'));
    case 'tool-slow': {
      // A tool call, then a long paced answer: a turn that stays mid-stream after its tool ran.
      if (!turn.isToolResultFollowUp) return callOrFallback([], shellCall(turn.toolNames, OK_COMMAND, 'Write and print corral-ok'));
      return slowText(arg, options);
    }
    case 'web-search':
      if (!turn.toolNames.includes('web_search')) return text(FINAL_TEXT.noTool);
      return { kind: 'stream', blocks: [{ type: 'tool_use', name: 'web_search', input: { query: WEB_SEARCH_QUERY } }, { type: 'text', text: FINAL_TEXT.webSearch }], stop: 'end_turn' };
    case 'tool':
    default:
      if (turn.isToolResultFollowUp) return text(FINAL_TEXT.tool);
      return callOrFallback([], shellCall(turn.toolNames, OK_COMMAND, 'Write and print corral-ok'));
  }
}
