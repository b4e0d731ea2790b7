/**
 * The firehose ACP agent of the end-to-end benchmark, built with
 * @agentclientprotocol/sdk's agent side. A prompt `firehose N` is answered
 * with N completed tool calls, each one `session/update` `tool_call`
 * notification carrying its command and output (status `completed`, so a
 * client shows a tool call and its tool result per notification), then one
 * text chunk `firehose done N`. A prompt `trickle S MS` streams one such tool
 * call every MS ms for S seconds, then the text `trickle done` (the soak). Any
 * other prompt gets the text chunk `ready`.
 * Run: `bun test/bench/firehose-agent.ts` (ACP over stdio).
 */
import * as acp from '@agentclientprotocol/sdk';

/** The prompt that asks for `n` tool calls. */
export const firehosePrompt = (n: number) => `firehose ${n}`;
/** The text that ends a firehose of `n` tool calls: the last row a client shows. */
export const firehoseDone = (n: number) => `firehose done ${n}`;
/** Notifications written before the agent waits for its stdout to take them. */
const WRITE_BATCH = 200;

/**
 * The `tool_call` update of call `i` of the agent's prompt number `prompt`: an executed shell command with two
 * lines of output. Tool call ids are unique within the session (ACP's rule), across its prompts.
 */
export function firehoseUpdate(sessionId: string, i: number, prompt = 0) {
  return {
    sessionId,
    update: {
      sessionUpdate: 'tool_call' as const,
      toolCallId: `call-${prompt}-${i}`,
      title: `echo line ${i}`,
      kind: 'execute' as const,
      status: 'completed' as const,
      rawInput: { command: `echo line ${i}` },
      content: [{ type: 'content' as const, content: { type: 'text' as const, text: `line ${i}\nexit code 0` } }],
    },
  };
}

if (import.meta.main) {
  const stdout = new WritableStream<Uint8Array>({ write(chunk) { process.stdout.write(chunk); } });
  const stdin = new ReadableStream<Uint8Array>({
    start(controller) {
      process.stdin.on('data', (d: Buffer) => controller.enqueue(new Uint8Array(d)));
      process.stdin.on('end', () => controller.close());
    },
  });
  let sessions = 0;
  let prompts = 0;
  await acp.agent({ name: 'firehose' })
    .onRequest('initialize', () => ({ protocolVersion: acp.PROTOCOL_VERSION, agentCapabilities: {}, agentInfo: { name: 'firehose-agent', version: '1.0.0' }, authMethods: [] }))
    .onRequest('session/new', () => ({ sessionId: `firehose-${++sessions}-${process.pid}` }))
    .onRequest('session/prompt', async ({ params, client }) => {
      const sessionId = params.sessionId;
      const prompt = ++prompts;
      const text = params.prompt.map((b) => (b.type === 'text' ? b.text : '')).join('');
      const m = /^firehose (\d+)$/.exec(text.trim());
      const say = (words: string) => client.notify('session/update', { sessionId, update: { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: words } } });
      const trickle = /^trickle (\d+) (\d+)$/.exec(text.trim());
      if (trickle) {
        const endAt = Date.now() + Number(trickle[1]) * 1000;
        for (let i = 0; Date.now() < endAt; i++) {
          await client.notify('session/update', firehoseUpdate(sessionId, i, prompt));
          await Bun.sleep(Number(trickle[2]));
        }
        await say('trickle done');
        return { stopReason: 'end_turn' };
      }
      if (!m) {
        await say('ready');
        return { stopReason: 'end_turn' };
      }
      const n = Number(m[1]);
      let batch: Promise<void>[] = [];
      for (let i = 0; i < n; i++) {
        batch.push(client.notify('session/update', firehoseUpdate(sessionId, i, prompt)));
        if (batch.length === WRITE_BATCH) { await Promise.all(batch); batch = []; }
      }
      await Promise.all(batch);
      await say(firehoseDone(n));
      return { stopReason: 'end_turn' };
    })
    .onNotification('session/cancel', () => undefined)
    .connectWith(acp.ndJsonStream(stdout, stdin), () => new Promise<void>(() => undefined))
    .catch(() => process.exit(0)); // the client closed stdin
}
