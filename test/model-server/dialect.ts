/**
 * The contract between the scripted model server and one wire dialect
 * (Anthropic Messages now; OpenAI Responses, Gemini, Ollama can be added as
 * further files implementing {@link Dialect}).
 */
import type { ScenarioOptions } from './scenarios';
import type { RecordedRequest } from './types';

/** What the server lends a dialect for one request. */
export type DialectContext = {
  /** Aborted when the client disconnects or the server stops; streams must end when it fires. */
  signal: AbortSignal;
  /** A fresh id with the given prefix, unique within this server (e.g. `msg_` -> `msg_3f9a0c12_7`). */
  nextId(prefix: string): string;
  scenarioOptions: ScenarioOptions;
};

/** The fields of a {@link RecordedRequest} that a dialect fills in. */
export type RequestSummary = Pick<RecordedRequest, 'hasTools' | 'toolNames' | 'isToolResultFollowUp' | 'historyTurns' | 'stream'> &
  Partial<Pick<RecordedRequest, 'scenario' | 'scenarioArg' | 'model'>>;

/** A dialect's answer: the HTTP response, and what to record about the request. */
export type DialectAnswer = { response: Response; summary: RequestSummary };

/** One wire dialect. `handle` returns `undefined` for requests that are not its own. */
export type Dialect = {
  name: string;
  handle(request: Request, url: URL, ctx: DialectContext): Promise<DialectAnswer | undefined>;
};

/** A summary for requests that carry no model conversation (count_tokens, probes). */
export const EMPTY_SUMMARY: RequestSummary = { hasTools: false, toolNames: [], isToolResultFollowUp: false, historyTurns: 0, stream: false };
