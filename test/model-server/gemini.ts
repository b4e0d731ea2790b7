/**
 * The Gemini API dialect of the scripted model server, as Gemini CLI 0.61
 * (`@google/genai`) speaks it:
 *  - `POST /v1beta/models/<model>:streamGenerateContent?alt=sse` and `:generateContent` with
 *    `{ contents:[{role:'user'|'model', parts:[{text}|{text, thought:true}|{functionCall{name,args}}|
 *    {functionResponse{name,response}}]}], tools:[{functionDeclarations:[{name}]}], systemInstruction,
 *    generationConfig{responseMimeType, responseJsonSchema|responseSchema} }`;
 *  - streamed answers are SSE `data: GenerateContentResponse` chunks: `{candidates:[{content:{role:'model',
 *    parts}, finishReason?, index:0}], usageMetadata{promptTokenCount, candidatesTokenCount,
 *    thoughtsTokenCount, totalTokenCount}, modelVersion, responseId}`; `:generateContent` answers one such object;
 *  - `:countTokens` -> `{totalTokens}`;
 *  - errors as `{error:{code, message, status}}`.
 * Requests with a JSON response schema (Gemini CLI's model routing, next-speaker and loop checks) are
 * answered with JSON of that schema whatever the scenario: they are the CLI's own plumbing, not the turn.
 */
import { EMPTY_SUMMARY, type Dialect, type DialectContext } from './dialect';
import { parseScenarioTag, replyFor } from './scenarios';
import { pacedText } from './pacing';
import { bodyFrom, untilAborted } from './streaming';
import type { ParsedTurn, ScriptedBlock, ScriptedReply } from './types';

type Part = { text?: unknown; thought?: unknown; functionCall?: unknown; functionResponse?: { response?: unknown } };
type Content = { role?: string; parts?: Part[] };
type Schema = { type?: string; properties?: Record<string, Schema>; enum?: unknown[]; items?: Schema; required?: string[] };
type Body = {
  contents?: Content[];
  tools?: Array<{ functionDeclarations?: Array<{ name?: string }> }>;
  generationConfig?: { responseMimeType?: string; responseJsonSchema?: Schema; responseSchema?: Schema };
};

const partsOf = (c: Content | undefined): Part[] => (Array.isArray(c?.parts) ? c!.parts! : []);
const CONTEXT_PART = /^\s*<session_context>/;
/** Text of a content's parts, without thoughts and (unless `withContext`) without Gemini CLI's `<session_context>` part. */
const textOf = (c: Content | undefined, withContext = false) => partsOf(c)
  .map((p) => (typeof p.text === 'string' && p.thought !== true && (withContext || !CONTEXT_PART.test(p.text)) ? p.text : ''))
  .filter(Boolean).join('\n');
const isToolResult = (c: Content | undefined) => partsOf(c).some((p) => p.functionResponse !== undefined);

/** Flattens a functionResponse's `response` (`{output}` or `{error}` in Gemini CLI) to text. */
function responseText(part: Part | undefined): string {
  const response = part?.functionResponse?.response as { output?: unknown; error?: unknown } | undefined;
  if (!response) return '';
  if (typeof response.output === 'string') return response.output;
  if (typeof response.error === 'string') return response.error;
  return JSON.stringify(response);
}

/**
 * Reads what the scenarios need from a generateContent body. The prompt is the
 * latest user content that is neither a function response nor Gemini CLI's
 * `<session_context>` block; the cwd is the first workspace directory it lists.
 */
export function parseGeminiTurn(body: Body, rawBody: string, model: string): ParsedTurn {
  const contents = Array.isArray(body.contents) ? body.contents : [];
  const last = contents.at(-1);
  const prompt = [...contents].reverse().find((c) => c.role !== 'model' && !isToolResult(c) && textOf(c) !== '');
  const allText = contents.map((c) => textOf(c, true)).join('\n');
  const lastResult = isToolResult(last) ? partsOf(last).filter((p) => p.functionResponse).at(-1) : undefined;
  const resultText = responseText(lastResult);
  return {
    scenario: parseScenarioTag(textOf(prompt)),
    toolNames: (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []).map((d) => d.name).filter((n): n is string => typeof n === 'string'),
    isToolResultFollowUp: isToolResult(last),
    lastToolResultText: lastResult ? resultText : undefined,
    lastToolResultIsError: lastResult ? /Exit Code: [1-9]|"error"/.test(resultText) : undefined,
    cwd: /Workspace Directories:\**\s*\n\s*-\s*(\/\S+)/.exec(allText)?.[1] ?? /working in the directory:?\s*(\/\S+)/i.exec(allText)?.[1],
    model,
    promptTokens: Math.max(1, Math.ceil(rawBody.length / 4)),
    historyTurns: contents.filter((c) => c.role === 'model').length,
  };
}

/**
 * A value of the given (OpenAPI-style) schema: the first enum value (`user`
 * first, so a next-speaker check hands the turn back), the low end of numbers,
 * `false`, `[]`, and objects with every property.
 */
export function valueForSchema(schema: Schema | undefined): unknown {
  if (!schema) return null;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.includes('user') ? 'user' : schema.enum[0];
  switch ((schema.type ?? (schema.properties ? 'object' : 'string')).toLowerCase()) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, valueForSchema(v)]));
    case 'array': return [];
    case 'integer': return 10;
    case 'number': return 0.1;
    case 'boolean': return false;
    default: return 'Scripted answer.';
  }
}

type WirePart = Record<string, unknown>;

/** Subject line of scripted thoughts: Gemini CLI shows a thought as `**subject**` + description. */
export const THOUGHT_SUBJECT = 'Planning a shell check';

function partFor(block: ScriptedBlock): WirePart {
  if (block.type === 'text') return { text: block.text };
  if (block.type === 'thinking') return { text: `**${THOUGHT_SUBJECT}**\n\n${block.text}`, thought: true };
  return { functionCall: { name: block.name, args: block.input } };
}

function usage(turn: ParsedTurn, outputChars: number, thoughtChars: number) {
  const candidates = 8 + Math.ceil(outputChars / 4);
  const thoughts = Math.ceil(thoughtChars / 4);
  return {
    promptTokenCount: turn.promptTokens,
    candidatesTokenCount: candidates,
    ...(thoughts > 0 ? { thoughtsTokenCount: thoughts } : {}),
    totalTokenCount: turn.promptTokens + candidates + thoughts,
  };
}

const chunk = (data: unknown) => `data: ${JSON.stringify(data)}\r\n\r\n`;

async function* sseReply(reply: Extract<ScriptedReply, { kind: 'stream' }>, turn: ParsedTurn, ctx: DialectContext) {
  const responseId = ctx.nextId('resp_');
  const candidate = (parts: WirePart[], finishReason?: string) => ({ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) });
  const base = { modelVersion: turn.model, responseId };
  if (reply.stall) {
    yield chunk({ ...base, candidates: [candidate([{ text: '' }])] });
    await untilAborted(ctx.signal);
    return;
  }
  let outputChars = 0;
  let thoughtChars = 0;
  for (const block of reply.blocks) {
    if (block.type === 'text' && reply.pacing) {
      const allSent = yield* pacedText(block.text, reply.pacing, ctx.signal, (piece) => {
        outputChars += piece.length;
        return chunk({ ...base, candidates: [candidate([{ text: piece }])] });
      });
      if (!allSent) return;
      continue;
    }
    if (block.type === 'thinking') thoughtChars += block.text.length;
    else outputChars += JSON.stringify(partFor(block)).length;
    // Thoughts arrive whole (a summary), text word by word.
    if (block.type !== 'text') yield chunk({ ...base, candidates: [candidate([partFor(block)])] });
    else for (const piece of block.text.match(/\S+\s*|\s+/g) ?? [block.text]) yield chunk({ ...base, candidates: [candidate([{ text: piece }])] });
  }
  yield chunk({ ...base, candidates: [candidate([{ text: '' }], 'STOP')], usageMetadata: usage(turn, outputChars, thoughtChars) });
}

function oneShot(reply: Extract<ScriptedReply, { kind: 'stream' }>, turn: ParsedTurn, ctx: DialectContext) {
  const parts = reply.blocks.map(partFor);
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: usage(turn, JSON.stringify(parts).length, 0), modelVersion: turn.model, responseId: ctx.nextId('resp_'),
  };
}

/** Gemini API status names per HTTP status of the scripted errors. */
const STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL' };

function errorResponse(reply: Extract<ScriptedReply, { kind: 'error' }>, scenario: string): Response {
  // The scripted messages are Anthropic-flavoured; quota and auth read as Gemini says them.
  const [status, message] = scenario === 'quota'
    ? [429, 'You exceeded your current quota, please check your plan and billing details.']
    : scenario === 'auth'
      ? [400, 'API key not valid. Please pass a valid API key.']
      : scenario === 'prompt-too-long'
        ? [400, 'The input token count (250000) exceeds the maximum number of tokens allowed (200000).']
        : [reply.status, reply.message];
  return Response.json({ error: { code: status, message, status: STATUS[status] ?? 'UNKNOWN' } }, { status });
}

const ROUTE = /^\/v1(?:beta|alpha)?\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;

/** The Gemini dialect: `/v1beta/models/<model>:(stream)generateContent` and `:countTokens`. */
export const geminiDialect: Dialect = {
  name: 'gemini',
  async handle(request, url, ctx) {
    const route = ROUTE.exec(url.pathname);
    if (request.method !== 'POST' || !route) return undefined;
    const [, model, method] = route as unknown as [string, string, string];
    const raw = await request.text();
    let body: Body;
    try {
      body = JSON.parse(raw) as Body;
    } catch {
      return { response: Response.json({ error: { code: 400, message: 'body is not JSON', status: 'INVALID_ARGUMENT' } }, { status: 400 }), summary: EMPTY_SUMMARY };
    }
    const turn = parseGeminiTurn(body, raw, model);
    if (method === 'countTokens') return { response: Response.json({ totalTokens: turn.promptTokens }), summary: { ...EMPTY_SUMMARY, model } };
    const stream = method === 'streamGenerateContent';
    const schema = body.generationConfig?.responseJsonSchema ?? body.generationConfig?.responseSchema;
    if (schema) {
      const text = JSON.stringify(valueForSchema(schema));
      const answer = { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata: usage(turn, text.length, 0), modelVersion: model };
      const response = stream ? new Response(chunk(answer), { headers: { 'content-type': 'text/event-stream' } }) : Response.json(answer);
      return { response, summary: { ...EMPTY_SUMMARY, model, stream } };
    }
    const summary = {
      scenario: turn.scenario.name, scenarioArg: turn.scenario.arg, model, stream,
      hasTools: turn.toolNames.length > 0, toolNames: turn.toolNames, isToolResultFollowUp: turn.isToolResultFollowUp, historyTurns: turn.historyTurns,
    };
    const reply = replyFor(turn, ctx.scenarioOptions);
    if (reply.kind === 'error') return { response: errorResponse(reply, turn.scenario.name), summary };
    if (!stream) return { response: Response.json(oneShot(reply, turn, ctx)), summary };
    return { response: new Response(bodyFrom(sseReply(reply, turn, ctx)), { headers: { 'content-type': 'text/event-stream' } }), summary };
  },
};
