/**
 * The Anthropic Messages API dialect of the scripted model server, as Claude
 * Code and the Agent SDK speak it:
 *  - `POST /v1/messages[?beta=true]` with a JSON body `{ model, system, messages, tools, stream, ... }`;
 *    `stream: true` is answered with SSE (`message_start`, `content_block_start`,
 *    `content_block_delta` with `text_delta` / `thinking_delta` / `signature_delta` /
 *    `input_json_delta`, `content_block_stop`, `message_delta`, `message_stop`),
 *    otherwise with one `Message` JSON object;
 *  - `POST /v1/messages/count_tokens` -> `{ input_tokens }`;
 *  - errors as `{ type: 'error', error: { type, message } }` with the HTTP status.
 */
import { EMPTY_SUMMARY, type Dialect, type DialectContext } from './dialect';
import { parseScenarioTag, replyFor } from './scenarios';
import { bodyFrom, sleep, sseFrame, untilAborted } from './streaming';
import type { ParsedTurn, ScriptedBlock, ScriptedReply } from './types';

type Block = { type?: string; text?: unknown; content?: unknown; is_error?: unknown };
type Message = { role?: string; content?: string | Block[] };
type Body = { model?: string; messages?: Message[]; tools?: Array<{ name?: string }>; stream?: boolean };

function blocksOf(message: Message | undefined): Block[] {
  if (!message) return [];
  if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
  return Array.isArray(message.content) ? message.content : [];
}

/** Flattens a tool_result `content` (string or text blocks) to plain text. */
function flatten(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b: Block) => (typeof b?.text === 'string' ? b.text : '')).join('');
}

/**
 * Reads what the scenarios need from a Messages API body. The scenario comes
 * from the latest user message that is not a tool-result message, so a tool
 * follow-up keeps its prompt's scenario and a resumed prompt gets its own.
 */
export function parseAnthropicTurn(body: Body, rawBody: string): ParsedTurn {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  // Claude Code puts a `system`-role environment message after the prompt, so skip those.
  const last = messages.filter((m) => m.role !== 'system').at(-1);
  const lastResults = last?.role === 'user' ? blocksOf(last).filter((b) => b.type === 'tool_result') : [];
  const prompt = [...messages].reverse().find((m) => m.role === 'user' && !blocksOf(m).some((b) => b.type === 'tool_result'));
  const promptText = blocksOf(prompt).map((b) => (typeof b.text === 'string' ? b.text : '')).join('\n');
  const cwd = /working directory:\s*(\/[^\s"\\]+)/i.exec(rawBody)?.[1];
  const lastResult = lastResults[lastResults.length - 1];
  return {
    scenario: parseScenarioTag(promptText),
    toolNames: (Array.isArray(body.tools) ? body.tools : []).map((t) => t?.name).filter((n): n is string => typeof n === 'string'),
    isToolResultFollowUp: lastResults.length > 0,
    lastToolResultText: lastResult ? flatten(lastResult.content) : undefined,
    lastToolResultIsError: lastResult ? lastResult.is_error === true : undefined,
    cwd,
    model: typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5',
    promptTokens: Math.max(1, Math.ceil(rawBody.length / 4)),
    historyTurns: messages.filter((m) => m.role === 'assistant').length,
  };
}

/**
 * Usage figures shaped like a prompt-cached conversation: a first request
 * writes most of the prompt to the cache, later ones mostly read it. Token
 * counts, all non-negative integers.
 */
export function usageFor(turn: ParsedTurn, outputChars: number) {
  const total = turn.promptTokens;
  const cacheRead = turn.historyTurns > 0 ? Math.floor(total * 0.8) : 0;
  const cacheCreation = turn.historyTurns > 0 ? Math.floor(total * 0.15) : Math.floor(total * 0.9);
  return {
    input_tokens: Math.max(1, total - cacheRead - cacheCreation),
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
    output_tokens: 12 + Math.ceil(outputChars / 4),
  };
}

type WireBlock = Record<string, unknown>;

function toWire(block: ScriptedBlock, ctx: DialectContext): WireBlock {
  if (block.type === 'text') return { type: 'text', text: block.text };
  if (block.type === 'thinking') return { type: 'thinking', thinking: block.text, signature: block.signature };
  return { type: 'tool_use', id: ctx.nextId('toolu_'), name: block.name, input: block.input };
}

function outputChars(blocks: WireBlock[]): number {
  return blocks.reduce((n, b) => n + JSON.stringify(b).length, 0);
}

/** Splits text into roughly word-sized deltas, as the real API streams it. */
function chunks(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

async function* sseReply(reply: Extract<ScriptedReply, { kind: 'stream' }>, turn: ParsedTurn, ctx: DialectContext) {
  const wire = reply.blocks.map((b) => toWire(b, ctx));
  const messageId = ctx.nextId('msg_');
  const startUsage = { ...usageFor(turn, 0), output_tokens: 1 };
  yield sseFrame('message_start', {
    type: 'message_start',
    message: { id: messageId, type: 'message', role: 'assistant', model: turn.model, content: [], stop_reason: null, stop_sequence: null, usage: startUsage },
  });
  if (reply.stall) {
    await untilAborted(ctx.signal);
    return;
  }
  let streamedChars = 0;
  for (const [index, block] of wire.entries()) {
    const empty = block.type === 'text' ? { type: 'text', text: '' }
      : block.type === 'thinking' ? { type: 'thinking', thinking: '', signature: '' }
      : { ...block, input: {} };
    yield sseFrame('content_block_start', { type: 'content_block_start', index, content_block: empty });
    const delta = (d: Record<string, unknown>) => sseFrame('content_block_delta', { type: 'content_block_delta', index, delta: d });
    if (block.type === 'text' && reply.pacing) {
      const ticks = Math.max(1, Math.round(reply.pacing.durationMs / reply.pacing.deltaMs));
      for (let i = 1; i <= ticks; i++) {
        await sleep(reply.pacing.deltaMs, ctx.signal);
        if (ctx.signal.aborted) return;
        const piece = `${block.text as string}${i} `;
        streamedChars += piece.length;
        yield delta({ type: 'text_delta', text: piece });
      }
    } else if (block.type === 'text') {
      for (const piece of chunks(block.text as string)) yield delta({ type: 'text_delta', text: piece });
    } else if (block.type === 'thinking') {
      for (const piece of chunks(block.thinking as string)) yield delta({ type: 'thinking_delta', thinking: piece });
      yield delta({ type: 'signature_delta', signature: block.signature });
    } else {
      const json = JSON.stringify(block.input);
      const mid = Math.ceil(json.length / 2);
      yield delta({ type: 'input_json_delta', partial_json: json.slice(0, mid) });
      yield delta({ type: 'input_json_delta', partial_json: json.slice(mid) });
    }
    yield sseFrame('content_block_stop', { type: 'content_block_stop', index });
  }
  yield sseFrame('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: reply.stop, stop_sequence: null },
    usage: usageFor(turn, outputChars(wire) + streamedChars),
  });
  yield sseFrame('message_stop', { type: 'message_stop' });
}

function errorResponse(reply: Extract<ScriptedReply, { kind: 'error' }>, ctx: DialectContext): Response {
  const requestId = ctx.nextId('req_');
  return Response.json(
    { type: 'error', error: { type: reply.errorType, message: reply.message }, request_id: requestId },
    { status: reply.status, headers: { 'request-id': requestId } },
  );
}

/** The Anthropic Messages dialect: `/v1/messages` and `/v1/messages/count_tokens`. */
export const anthropicDialect: Dialect = {
  name: 'anthropic',
  async handle(request, url, ctx) {
    if (request.method !== 'POST' || !url.pathname.startsWith('/v1/messages')) return undefined;
    const raw = await request.text();
    let body: Body;
    try {
      body = JSON.parse(raw) as Body;
    } catch {
      const response = Response.json({ type: 'error', error: { type: 'invalid_request_error', message: 'body is not JSON' } }, { status: 400 });
      return { response, summary: EMPTY_SUMMARY };
    }
    const turn = parseAnthropicTurn(body, raw);
    if (url.pathname === '/v1/messages/count_tokens') {
      return { response: Response.json({ input_tokens: turn.promptTokens }), summary: { ...EMPTY_SUMMARY, model: turn.model } };
    }
    if (url.pathname !== '/v1/messages') return undefined;
    const stream = body.stream === true;
    const summary = {
      scenario: turn.scenario.name, scenarioArg: turn.scenario.arg, model: turn.model, stream,
      hasTools: turn.toolNames.length > 0, toolNames: turn.toolNames, isToolResultFollowUp: turn.isToolResultFollowUp, historyTurns: turn.historyTurns,
    };
    const reply = replyFor(turn, ctx.scenarioOptions);
    if (reply.kind === 'error') return { response: errorResponse(reply, ctx), summary };
    if (stream) {
      const headers = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': ctx.nextId('req_') };
      return { response: new Response(bodyFrom(sseReply(reply, turn, ctx)), { headers }), summary };
    }
    const content = reply.blocks.map((b) => toWire(b, ctx));
    const message = {
      id: ctx.nextId('msg_'), type: 'message', role: 'assistant', model: turn.model, content,
      stop_reason: reply.stop, stop_sequence: null, usage: usageFor(turn, outputChars(content)),
    };
    return { response: Response.json(message), summary };
  },
};
