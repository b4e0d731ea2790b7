/**
 * The Ollama API dialect of the scripted model server, as the `ollama` npm
 * library (0.6) speaks it:
 *  - `GET /api/version` -> `{version}`; `GET /api/tags` -> `{models:[{name, model, modified_at, size, digest, details}]}`;
 *  - `POST /api/show {model}` -> `{capabilities:['completion', 'thinking'?], details, model_info}`, 404 for unknown models;
 *  - `POST /api/chat {model, messages:[{role, content, thinking?}], stream, think?}` -> NDJSON lines
 *    `{model, created_at, message:{role:'assistant', content, thinking?}, done:false}`, then
 *    `{…, done:true, done_reason, total_duration, load_duration, prompt_eval_count, prompt_eval_duration,
 *    eval_count, eval_duration}` (durations in ns); one such object when `stream:false`;
 *  - errors as `{error}` with the HTTP status.
 * No tools are offered over this dialect, so tool scenarios answer with plain text; `thinking` streams
 * thinking only when the request asks for it (`think`) and the model supports it.
 */
import { EMPTY_SUMMARY, type Dialect, type DialectContext } from './dialect';
import { parseScenarioTag, replyFor } from './scenarios';
import { pacedText } from './pacing';
import { bodyFrom, untilAborted } from './streaming';
import type { ParsedTurn, ScriptedReply } from './types';

/** The models the scripted server "has installed"; only the second can think. */
export const OLLAMA_MODELS = [
  { name: 'llama3.2:1b', family: 'llama', parameterSize: '1.2B', thinking: false },
  { name: 'qwen3:0.6b', family: 'qwen3', parameterSize: '751.63M', thinking: true },
] as const;
/** What `/api/version` answers. */
export const OLLAMA_VERSION = '0.12.6';

type Message = { role?: string; content?: unknown };
type Body = { model?: string; messages?: Message[]; stream?: boolean; think?: unknown };

const modelInfo = (name: string | undefined) => OLLAMA_MODELS.find((m) => m.name === name || m.name === `${name}:latest`);
const notFound = (model: string | undefined) => Response.json({ error: `model "${model ?? ''}" not found, try pulling it first` }, { status: 404 });

/** Reads what the scenarios need from an `/api/chat` body: the prompt is the latest user message. */
export function parseOllamaTurn(body: Body, rawBody: string): ParsedTurn {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const prompt = [...messages].reverse().find((m) => m.role === 'user');
  return {
    scenario: parseScenarioTag(typeof prompt?.content === 'string' ? prompt.content : ''),
    toolNames: [],
    isToolResultFollowUp: messages.at(-1)?.role === 'tool',
    model: body.model ?? 'llama3.2:1b',
    promptTokens: Math.max(1, Math.ceil(rawBody.length / 4)),
    historyTurns: messages.filter((m) => m.role === 'assistant').length,
  };
}

async function* ndjson(reply: Extract<ScriptedReply, { kind: 'stream' }>, turn: ParsedTurn, think: boolean, ctx: DialectContext) {
  const line = (message: Record<string, unknown>) => `${JSON.stringify({ model: turn.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '', ...message }, done: false })}\n`;
  if (reply.stall) {
    yield line({});
    await untilAborted(ctx.signal);
    return;
  }
  let outputChars = 0;
  for (const block of reply.blocks) {
    if (block.type === 'tool_use') continue;
    if (block.type === 'thinking') {
      if (!think) continue;
      for (const piece of block.text.match(/\S+\s*|\s+/g) ?? [block.text]) yield line({ thinking: piece });
      outputChars += block.text.length;
      continue;
    }
    if (reply.pacing) {
      const allSent = yield* pacedText(block.text, reply.pacing, ctx.signal, (piece) => {
        outputChars += piece.length;
        return line({ content: piece });
      });
      if (!allSent) return;
      continue;
    }
    for (const piece of block.text.match(/\S+\s*|\s+/g) ?? [block.text]) yield line({ content: piece });
    outputChars += block.text.length;
  }
  yield `${JSON.stringify({
    model: turn.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop',
    total_duration: 912_000_000, load_duration: 41_000_000, prompt_eval_count: turn.promptTokens, prompt_eval_duration: 120_000_000,
    eval_count: 4 + Math.ceil(outputChars / 4), eval_duration: 700_000_000,
  })}\n`;
}

/** The Ollama dialect: `/api/version`, `/api/tags`, `/api/show`, `/api/chat`. */
export const ollamaDialect: Dialect = {
  name: 'ollama',
  async handle(request, url, ctx) {
    if (!url.pathname.startsWith('/api/')) return undefined;
    if (request.method === 'GET' && url.pathname === '/api/version') return { response: Response.json({ version: OLLAMA_VERSION }), summary: EMPTY_SUMMARY };
    if (request.method === 'GET' && url.pathname === '/api/tags') {
      const models = OLLAMA_MODELS.map((m, i) => ({
        name: m.name, model: m.name, modified_at: '2026-01-02T03:04:05Z', size: 800_000_000 + i, digest: `sha256:${String(i).repeat(64)}`,
        details: { parent_model: '', format: 'gguf', family: m.family, families: [m.family], parameter_size: m.parameterSize, quantization_level: 'Q4_K_M' },
      }));
      return { response: Response.json({ models }), summary: EMPTY_SUMMARY };
    }
    if (request.method !== 'POST') return undefined;
    const raw = await request.text();
    let body: Body;
    try {
      body = JSON.parse(raw) as Body;
    } catch {
      return { response: Response.json({ error: 'invalid JSON body' }, { status: 400 }), summary: EMPTY_SUMMARY };
    }
    const info = modelInfo(body.model);
    if (url.pathname === '/api/show') {
      if (!info) return { response: notFound(body.model), summary: { ...EMPTY_SUMMARY, model: body.model } };
      const response = Response.json({
        modelfile: '', parameters: '', template: '{{ .Prompt }}', details: { format: 'gguf', family: info.family, parameter_size: info.parameterSize },
        model_info: { 'general.architecture': info.family }, capabilities: info.thinking ? ['completion', 'thinking'] : ['completion'],
        modified_at: '2026-01-02T03:04:05Z',
      });
      return { response, summary: { ...EMPTY_SUMMARY, model: info.name } };
    }
    if (url.pathname !== '/api/chat') return undefined;
    const turn = parseOllamaTurn(body, raw);
    const stream = body.stream !== false;
    const summary = { scenario: turn.scenario.name, scenarioArg: turn.scenario.arg, model: turn.model, stream, hasTools: false, toolNames: [], isToolResultFollowUp: false, historyTurns: turn.historyTurns };
    if (!info) return { response: notFound(body.model), summary };
    const reply = replyFor(turn, ctx.scenarioOptions);
    if (reply.kind === 'error') return { response: Response.json({ error: reply.message }, { status: reply.status }), summary };
    // Ollama refuses `think` for a model without the capability.
    if (body.think === true && !info.thinking) return { response: Response.json({ error: `"${info.name}" does not support thinking` }, { status: 400 }), summary };
    const think = body.think === true || body.think === 'high' || body.think === 'medium' || body.think === 'low';
    const lines = ndjson(reply, turn, think, ctx);
    if (stream) return { response: new Response(bodyFrom(lines), { headers: { 'content-type': 'application/x-ndjson' } }), summary };
    const parts: Array<Record<string, any>> = [];
    for await (const l of lines) parts.push(JSON.parse(l));
    const last = parts.at(-1)!;
    const content = parts.map((p) => p.message.content).join('');
    const thinking = parts.map((p) => p.message.thinking ?? '').join('');
    return { response: Response.json({ ...last, message: { role: 'assistant', content, ...(thinking ? { thinking } : {}) } }), summary };
  },
};
