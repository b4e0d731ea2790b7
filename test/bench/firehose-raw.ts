/**
 * The reference of the firehose benchmark: the same agent stream piped into
 * a bare reader that splits stdout into lines and parses each one
 * (`JSON.parse`), nothing more. The agent is started and its session opened
 * first; the figure is the time from writing the prompt to parsing its answer,
 * as the end-to-end figure is from pressing Send to the last row shown.
 */
import { join } from 'node:path';
import { firehosePrompt } from './firehose-agent';

export const FIREHOSE_AGENT = join(import.meta.dir, 'firehose-agent.ts');

/** Result of one raw run: ms from prompt to answer, and the `tool_call` updates parsed. */
export type RawRun = { ms: number; toolCalls: number };

/**
 * Runs the agent for `n` tool calls into the bare reader. Throws if the agent
 * exits early or the answer does not come within `timeoutMs`.
 */
export async function rawFirehose(n: number, timeoutMs = 120_000): Promise<RawRun> {
  const proc = Bun.spawn([process.execPath, FIREHOSE_AGENT], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  const send = (id: number, method: string, params: unknown) => {
    proc.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    proc.stdin.flush();
  };
  const waiters = new Map<number, (result: unknown) => void>();
  let toolCalls = 0;
  const reader = (async () => {
    const decoder = new TextDecoder();
    let rest = '';
    for await (const chunk of proc.stdout) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        const msg = JSON.parse(line) as { id?: number; result?: unknown; params?: { update?: { sessionUpdate?: string } } };
        if (msg.params?.update?.sessionUpdate === 'tool_call') toolCalls++;
        if (typeof msg.id === 'number') waiters.get(msg.id)?.(msg.result);
      }
    }
  })();
  const call = (id: number, method: string, params: unknown) => {
    const answered = new Promise<unknown>((resolve) => waiters.set(id, resolve));
    send(id, method, params);
    return Promise.race([answered, reader.then(() => { throw new Error(`the agent exited before answering ${method}`); })]);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`raw firehose of ${n} did not finish in ${timeoutMs} ms`)), timeoutMs); });
    await Promise.race([call(1, 'initialize', { protocolVersion: 1, clientCapabilities: {} }), timeout]);
    const session = (await Promise.race([call(2, 'session/new', { cwd: process.cwd(), mcpServers: [] }), timeout])) as { sessionId: string };
    const started = performance.now();
    await Promise.race([call(3, 'session/prompt', { sessionId: session.sessionId, prompt: [{ type: 'text', text: firehosePrompt(n) }] }), timeout]);
    const ms = performance.now() - started;
    if (toolCalls !== n) throw new Error(`the raw reader parsed ${toolCalls} tool calls, expected ${n}`);
    return { ms, toolCalls };
  } finally {
    clearTimeout(timer);
    proc.stdin.end();
    proc.kill();
    await proc.exited;
  }
}
