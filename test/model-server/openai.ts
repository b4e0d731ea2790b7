/**
 * The OpenAI Responses API dialect of the scripted model server, as Codex
 * 0.169 speaks it (`wire_api = "responses"`):
 *  - `POST /v1/responses` with `{ model, input: ResponseItem[], tools, stream: true, ... }`.
 *    Input items: `message{role, content:[{type:'input_text'|'output_text', text}]}`,
 *    `reasoning`, `function_call{name, arguments, call_id}`, `function_call_output{call_id, output}`,
 *    `custom_tool_call{name, input, call_id}`, `custom_tool_call_output{call_id, output}`.
 *    Tools: `{type:'function', name}` (e.g. `exec_command {cmd}`) and `{type:'custom', name}` (`apply_patch`).
 *  - The answer is SSE: `response.created`, then per output item `response.output_item.added`,
 *    its deltas (`response.output_text.delta`, `response.reasoning_summary_text.delta`,
 *    `response.function_call_arguments.delta`, `response.custom_tool_call_input.delta`),
 *    `response.output_item.done`, and finally `response.completed{response{id, usage{input_tokens,
 *    input_tokens_details{cached_tokens}, output_tokens, output_tokens_details{reasoning_tokens}, total_tokens}}}`.
 *  - HTTP errors are `{error:{message, type, code}}`; context-window and quota failures arrive the way
 *    the real API streams them, as `response.failed{response{error{code, message}}}`.
 */
import { EMPTY_SUMMARY, type Dialect, type DialectContext } from './dialect';
import { parseScenarioTag, replyFor } from './scenarios';
import { pacedText } from './pacing';
import { bodyFrom, untilAborted } from './streaming';
import type { ParsedTurn, ScenarioName, ScriptedBlock, ScriptedReply } from './types';

type Item = { type?: string; role?: string; content?: unknown; output?: unknown; name?: string };
type Body = { model?: string; input?: Item[] | string; tools?: Array<{ type?: string; name?: string }>; stream?: boolean };

/** Text of a message item's `input_text`/`output_text` parts. */
function textOf(item: Item | undefined): string {
  if (!item) return '';
  if (typeof item.content === 'string') return item.content;
  if (!Array.isArray(item.content)) return '';
  return item.content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('\n');
}

const isToolOutput = (item: Item | undefined) => item?.type === 'function_call_output' || item?.type === 'custom_tool_call_output';

/** Flattens a tool output (a string, or content parts) to text. */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('');
  return '';
}

/**
 * Reads what the scenarios need from a Responses API body. The prompt is the
 * latest user message that is not Codex's `<environment_context>` or
 * instructions block; the cwd comes from `<cwd>…</cwd>` in that context.
 */
export function parseResponsesTurn(body: Body, rawBody: string): ParsedTurn {
  const input: Item[] = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : Array.isArray(body.input) ? body.input : [];
  const last = input.at(-1);
  const prompt = [...input].reverse().find((i) => i.type === 'message' && i.role === 'user' && !/^\s*<(environment_context|user_instructions|INSTRUCTIONS)/.test(textOf(i)));
  return {
    scenario: parseScenarioTag(textOf(prompt)),
    // Hosted tools such as `{type:'web_search'}` have no name: their type stands in for it.
    toolNames: (Array.isArray(body.tools) ? body.tools : []).map((t) => t?.name ?? t?.type).filter((n): n is string => typeof n === 'string'),
    isToolResultFollowUp: isToolOutput(last),
    lastToolResultText: isToolOutput(last) ? outputText(last!.output) : undefined,
    lastToolResultIsError: isToolOutput(last) ? /exit code: [1-9]|Process exited with code [1-9]/i.test(outputText(last!.output)) : undefined,
    cwd: /<cwd>([^<]+)<\/cwd>/.exec(rawBody)?.[1],
    model: typeof body.model === 'string' ? body.model : 'gpt-5.5',
    promptTokens: Math.max(1, Math.ceil(rawBody.length / 4)),
    historyTurns: input.filter((i) => (i.type === 'message' && i.role === 'assistant') || i.type === 'function_call' || i.type === 'custom_tool_call').length,
  };
}

/** Usage of one response, shaped like a cached conversation: tokens, non-negative integers. */
export function responsesUsage(turn: ParsedTurn, outputChars: number, reasoningChars: number) {
  const cached = turn.historyTurns > 0 ? Math.floor(turn.promptTokens * 0.8) : 0;
  const reasoning = Math.ceil(reasoningChars / 4);
  const output = 8 + Math.ceil(outputChars / 4) + reasoning;
  return {
    input_tokens: turn.promptTokens,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: turn.promptTokens + output,
  };
}

/** Splits text into word-sized deltas. */
function chunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

type Frame = { type: string } & Record<string, unknown>;
const frame = (data: Frame) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

/** The `output_item.done` item of a scripted block. */
function itemFor(block: ScriptedBlock, ctx: DialectContext, customTools: Set<string>): Record<string, unknown> {
  if (block.type === 'text') {
    return { type: 'message', id: ctx.nextId('msg_'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: block.text, annotations: [] }] };
  }
  if (block.type === 'thinking') {
    return { type: 'reasoning', id: ctx.nextId('rs_'), summary: [{ type: 'summary_text', text: block.text }], encrypted_content: block.signature };
  }
  if (block.name === 'web_search') {
    return { type: 'web_search_call', id: ctx.nextId('ws_'), status: 'completed', action: { type: 'search', query: block.input.query } };
  }
  if (customTools.has(block.name) || block.freeform !== undefined) {
    return { type: 'custom_tool_call', id: ctx.nextId('ctc_'), status: 'completed', call_id: ctx.nextId('call_'), name: block.name, input: block.freeform ?? JSON.stringify(block.input) };
  }
  return { type: 'function_call', id: ctx.nextId('fc_'), status: 'completed', call_id: ctx.nextId('call_'), name: block.name, arguments: JSON.stringify(block.input) };
}

/** Failures the real API streams as `response.failed` rather than as an HTTP error. */
const STREAMED_FAILURES: Partial<Record<ScenarioName, { code: string; message: string }>> = {
  'prompt-too-long': { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model. Please adjust your input and try again.' },
  quota: { code: 'insufficient_quota', message: 'You exceeded your current quota, please check your plan and billing details.' },
};

async function* sseReply(reply: Extract<ScriptedReply, { kind: 'stream' }>, turn: ParsedTurn, ctx: DialectContext, customTools: Set<string>) {
  const responseId = ctx.nextId('resp_');
  const base = { id: responseId, object: 'response', model: turn.model, status: 'in_progress', output: [] as unknown[] };
  yield frame({ type: 'response.created', response: base });
  if (reply.stall) {
    await untilAborted(ctx.signal);
    return;
  }
  let outputChars = 0;
  let reasoningChars = 0;
  const done: unknown[] = [];
  for (const [outputIndex, block] of reply.blocks.entries()) {
    const item = itemFor(block, ctx, customTools);
    const itemId = item.id as string;
    if (block.type === 'text') {
      yield frame({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } });
      yield frame({ type: 'response.content_part.added', item_id: itemId, output_index: outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      let text = '';
      if (reply.pacing) {
        const allSent = yield* pacedText(block.text, reply.pacing, ctx.signal, (piece) => {
          text += piece;
          return frame({ type: 'response.output_text.delta', item_id: itemId, output_index: outputIndex, content_index: 0, delta: piece });
        });
        if (!allSent) return;
      } else {
        for (const piece of chunks(block.text)) yield frame({ type: 'response.output_text.delta', item_id: itemId, output_index: outputIndex, content_index: 0, delta: piece });
        text = block.text;
      }
      outputChars += text.length;
      const finished = { ...item, content: [{ type: 'output_text', text, annotations: [] }] };
      yield frame({ type: 'response.output_text.done', item_id: itemId, output_index: outputIndex, content_index: 0, text });
      yield frame({ type: 'response.output_item.done', output_index: outputIndex, item: finished });
      done.push(finished);
      continue;
    }
    if (block.type === 'thinking') {
      yield frame({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, summary: [] } });
      yield frame({ type: 'response.reasoning_summary_part.added', item_id: itemId, output_index: outputIndex, summary_index: 0, part: { type: 'summary_text', text: '' } });
      for (const piece of chunks(block.text)) yield frame({ type: 'response.reasoning_summary_text.delta', item_id: itemId, output_index: outputIndex, summary_index: 0, delta: piece });
      yield frame({ type: 'response.reasoning_summary_text.done', item_id: itemId, output_index: outputIndex, summary_index: 0, text: block.text });
      reasoningChars += block.text.length;
    } else if (item.type === 'web_search_call') {
      yield frame({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress' } });
      yield frame({ type: 'response.web_search_call.in_progress', item_id: itemId, output_index: outputIndex });
      yield frame({ type: 'response.web_search_call.completed', item_id: itemId, output_index: outputIndex });
    } else if (item.type === 'custom_tool_call') {
      yield frame({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', input: '' } });
      yield frame({ type: 'response.custom_tool_call_input.delta', item_id: itemId, output_index: outputIndex, delta: item.input });
      outputChars += String(item.input).length;
    } else {
      yield frame({ type: 'response.output_item.added', output_index: outputIndex, item: { ...item, status: 'in_progress', arguments: '' } });
      yield frame({ type: 'response.function_call_arguments.delta', item_id: itemId, output_index: outputIndex, delta: item.arguments });
      yield frame({ type: 'response.function_call_arguments.done', item_id: itemId, output_index: outputIndex, arguments: item.arguments });
      outputChars += String(item.arguments).length;
    }
    yield frame({ type: 'response.output_item.done', output_index: outputIndex, item });
    done.push(item);
  }
  const usage = responsesUsage(turn, outputChars, reasoningChars);
  yield frame({ type: 'response.completed', response: { ...base, status: 'completed', output: done, usage } });
}

async function* failedReply(failure: { code: string; message: string }, turn: ParsedTurn, ctx: DialectContext) {
  const base = { id: ctx.nextId('resp_'), object: 'response', model: turn.model, output: [] as unknown[] };
  yield frame({ type: 'response.created', response: { ...base, status: 'in_progress' } });
  yield frame({ type: 'response.failed', response: { ...base, status: 'failed', error: failure } });
}

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

function errorResponse(reply: Extract<ScriptedReply, { kind: 'error' }>, ctx: DialectContext): Response {
  const type = reply.status === 401 ? 'invalid_request_error' : reply.status >= 500 ? 'server_error' : 'invalid_request_error';
  const code = reply.status === 401 ? 'invalid_api_key' : null;
  const message = reply.status === 401 ? 'Incorrect API key provided: test.' : reply.message;
  return Response.json({ error: { message, type, param: null, code } }, { status: reply.status, headers: { 'x-request-id': ctx.nextId('req_') } });
}

/** The OpenAI Responses dialect: `POST /v1/responses`. */
export const openaiDialect: Dialect = {
  name: 'openai',
  async handle(request, url, ctx) {
    if (request.method !== 'POST' || url.pathname !== '/v1/responses') return undefined;
    const raw = await request.text();
    let body: Body;
    try {
      body = JSON.parse(raw) as Body;
    } catch {
      return { response: Response.json({ error: { message: 'body is not JSON', type: 'invalid_request_error', code: null } }, { status: 400 }), summary: EMPTY_SUMMARY };
    }
    const turn = parseResponsesTurn(body, raw);
    const stream = body.stream === true;
    const summary = {
      scenario: turn.scenario.name, scenarioArg: turn.scenario.arg, model: turn.model, stream,
      hasTools: turn.toolNames.length > 0, toolNames: turn.toolNames, isToolResultFollowUp: turn.isToolResultFollowUp, historyTurns: turn.historyTurns,
    };
    const customTools = new Set((body.tools ?? []).filter((t) => t?.type === 'custom' && typeof t.name === 'string').map((t) => t.name as string));
    const failure = STREAMED_FAILURES[turn.scenario.name];
    if (failure) return { response: new Response(bodyFrom(failedReply(failure, turn, ctx)), { headers: SSE_HEADERS }), summary };
    const reply = replyFor(turn, ctx.scenarioOptions);
    if (reply.kind === 'error') return { response: errorResponse(reply, ctx), summary };
    return { response: new Response(bodyFrom(sseReply(reply, turn, ctx, customTools)), { headers: SSE_HEADERS }), summary };
  },
};
