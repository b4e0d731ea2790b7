/**
 * Dialect-neutral types of the scripted model server. A dialect (Anthropic
 * Messages, OpenAI Responses, Gemini, Ollama) parses its own
 * request body into a {@link ParsedTurn}, the scenario logic turns that into a
 * {@link ScriptedReply}, and the dialect renders the reply in its own wire
 * format (SSE, NDJSON, JSON).
 */

/** Scenario names understood by `[scenario:<name>]` / `[scenario:<name>:<arg>]` tags in the prompt. */
export const SCENARIOS = [
  'tool', 'thinking', 'write', 'edit', 'tool-error', 'http500', 'prompt-too-long',
  'auth', 'quota', 'slow', 'silent', 'text', 'web-search', 'append-then-stall', 'tool-slow',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** A scenario tag as found in the prompt: `[scenario:slow:10]` -> `{ name: 'slow', arg: '10' }`. */
export type ScenarioTag = { name: ScenarioName; arg?: string };

/** What the scenario logic needs to know about one model request, whatever the dialect. */
export type ParsedTurn = {
  /** Scenario from the latest human prompt (not a tool-result message); `tool` when untagged. */
  scenario: ScenarioTag;
  /** Names of the tools the agent advertised in this request, in request order. */
  toolNames: string[];
  /** True when the last message carries a tool result, i.e. the agent is reporting back. */
  isToolResultFollowUp: boolean;
  /** Text of the latest tool result, flattened, when `isToolResultFollowUp`. */
  lastToolResultText?: string;
  /** Whether the latest tool result was flagged as an error. */
  lastToolResultIsError?: boolean;
  /** Working directory the agent told the model about (its `Primary working directory:` line), if any. */
  cwd?: string;
  /** Model name the agent asked for. */
  model: string;
  /** Rough size of the request in tokens (request body characters / 4). */
  promptTokens: number;
  /** Number of earlier model replies in the request's history (0 for a fresh conversation). */
  historyTurns: number;
};

/** One content block the model "produces". Tool `input` is the JSON object the tool receives. */
export type ScriptedBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string; signature: string }
  | {
      type: 'tool_use';
      name: string;
      input: Record<string, unknown>;
      /** For a freeform tool (OpenAI `custom` tools such as Codex's `apply_patch`): the raw text input sent instead of JSON. */
      freeform?: string;
    };

/** Why the scripted model stopped: the dialect maps these to its own stop reasons. */
export type ScriptedStop = 'end_turn' | 'tool_use';

/**
 * What the server answers. `stream` replies are rendered as the dialect's
 * stream (or as one JSON body for non-streaming requests); `error` replies
 * are an HTTP error with the dialect's error JSON.
 */
export type ScriptedReply =
  | {
      kind: 'stream';
      blocks: ScriptedBlock[];
      stop: ScriptedStop;
      /** When set, text is sent as one delta every `deltaMs` milliseconds for `durationMs` in total. */
      pacing?: { deltaMs: number; durationMs: number };
      /** When true, only the stream's opening event is sent, then nothing until the client or server closes. */
      stall?: boolean;
    }
  | {
      kind: 'error';
      /** HTTP status, e.g. 500, 400, 401. */
      status: number;
      /** Provider error type, e.g. `api_error`, `invalid_request_error`, `authentication_error`. */
      errorType: string;
      message: string;
    };

/** One request as the server saw it; tests count these (e.g. to prove there is no retry loop). */
export type RecordedRequest = {
  method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** The query string including `?`, or `''`. */
  query: string;
  /** Dialect that handled it (`anthropic`), or `none` for unrouted requests (404). */
  dialect: string;
  /** What the request asked for; absent for requests without a model body (HEAD /, count_tokens). */
  scenario?: ScenarioName;
  scenarioArg?: string;
  hasTools: boolean;
  toolNames: string[];
  isToolResultFollowUp: boolean;
  /** Earlier model replies in the request's history: 0 for a fresh conversation, > 0 on a follow-up or resume. */
  historyTurns: number;
  stream: boolean;
  model?: string;
  /** HTTP status the server answered with. */
  status: number;
  /** Milliseconds since the epoch when the request arrived. */
  receivedAt: number;
  /** Milliseconds since the epoch when the response body ended: sent in full, or cut because the client went away. */
  endedAt?: number;
};
