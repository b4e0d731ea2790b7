/**
 * A stand-in sidecar for the session manager's tests: a real process that
 * speaks the sidecar protocol (src-bun/sidecar-protocol.ts), with behaviour
 * picked by the prompt's first word. The real sidecar with the real Claude
 * Code is covered by the provider tests and the end-to-end suite.
 *   echo <text>   a turn: text "you said <text>", a cost, done
 *   crash         running, one text, then exit code 3
 *   crash-once F  crashes like `crash` unless file F exists (it creates F first), else answers like echo
 *   tool-crash F  a Bash tool call that appends a line "x" to file F, its result, then exit code 3 mid-turn
 *   hang          running, then silence (for stop); ignores abort
 *   slow          running, then silence until an abort, which ends the turn `done`/`stopped` (a provider interrupt)
 *   stubborn      like hang, but ignores SIGTERM
 *   vanish        exits with code 7 before writing anything for the turn
 *   mute          closes its stdout and keeps running
 *   garbage       bad lines mixed with two good texts, then done
 *   sidecar-cost  a turn whose cost counts only this sidecar's lifetime (scope 'sidecar')
 *   env <KEY>     replies with the value of KEY in its environment
 *   fuzz <N> <S>  N lines, seed S: valid texts (ids v0, v1, …) among random, truncated, mutated, unknown and oversized lines
 *   write F T     a Write tool call that writes text T to file F (relative to the session's cwd), its result, done
 *   write-hang F T  the same write, then the turn stays running (for stop)
 *   burst <N>     N completed tool calls (a tool_call and its tool_result each, ids b0, b1, …) in one write, then done
 */
import { dlopen, FFIType } from 'bun:ffi';
import { appendFileSync, existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../../ndjson/line-reader';

const out = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
let resumeId: string | undefined;
let cwd = process.cwd();
let turn = 0;
/** The running `slow` turn waits for an abort. */
let slowTurn = false;

await readLines(Bun.stdin.stream(), {
  oversized: () => {},
  async line(text) {
    const cmd = JSON.parse(text);
    if (cmd.type === 'start') {
      resumeId = cmd.config.resumeId;
      cwd = cmd.config.cwd;
      return;
    }
    if (cmd.type === 'abort' && slowTurn) {
      slowTurn = false;
      out({ type: 'status', status: 'done', reason: 'stopped' });
      return;
    }
    if (cmd.type !== 'prompt') return;
    turn++;
    const [word, ...rest] = String(cmd.prompt).split(' ');
    if (word === 'vanish') process.exit(7);
    if (word === 'mute') {
      // Close every descriptor of the stdout pipe with libc's close(2): Bun keeps duplicates of fd 1,
      // and Bun 1.3's fs.closeSync(1) leaves stdio open.
      const libc = dlopen('libc.so.6', { close: { args: [FFIType.i32], returns: FFIType.i32 } });
      const pipe = readlinkSync('/proc/self/fd/1');
      for (const fd of readdirSync('/proc/self/fd')) {
        try {
          if (readlinkSync(`/proc/self/fd/${fd}`) === pipe) libc.symbols.close(Number(fd));
        } catch {
          // The directory's own descriptor is gone once listed.
        }
      }
      setInterval(() => {}, 1000);
      return;
    }
    // init first, so a test that saw `running` knows the provider session id is recorded.
    out({ type: 'init', providerSessionId: resumeId ?? `prov-${process.pid}`, model: 'scripted' });
    out({ type: 'status', status: 'running' });
    switch (word) {
      case 'echo':
        out({ type: 'text', id: `a${turn}`, role: 'assistant', text: `you said ${rest.join(' ')}` });
        out({ type: 'cost', costUsd: 0.0025 * turn, inputTokens: 100 * turn, outputTokens: 20 * turn });
        out({ type: 'status', status: 'done', reason: 'completed' });
        return;
      case 'write':
      case 'write-hang': {
        const path = join(cwd, rest[0]);
        out({ type: 'tool_call', id: `w${turn}`, name: 'Write', input: { file_path: path, content: rest.slice(1).join(' ') }, path });
        writeFileSync(path, `${rest.slice(1).join(' ')}\n`);
        out({ type: 'tool_result', id: `w${turn}`, output: `wrote ${path}`, isError: false });
        if (word === 'write') out({ type: 'status', status: 'done', reason: 'completed' });
        return;
      }
      case 'sidecar-cost':
        out({ type: 'cost', scope: 'sidecar', costUsd: 0.001, inputTokens: 10, outputTokens: 1 });
        out({ type: 'status', status: 'done', reason: 'completed' });
        return;
      case 'env':
        out({ type: 'text', id: `a${turn}`, role: 'assistant', text: `${rest[0]}=${process.env[rest[0]] ?? '<unset>'}` });
        out({ type: 'status', status: 'done', reason: 'completed' });
        return;
      case 'crash-once':
        if (existsSync(rest[0])) {
          out({ type: 'text', id: `a${turn}`, role: 'assistant', text: 'recovered' });
          out({ type: 'status', status: 'done', reason: 'completed' });
          return;
        }
        writeFileSync(rest[0], 'crashed once');
        process.exit(3);
      case 'tool-crash': {
        const command = `echo x >> ${rest[0]}`;
        out({ type: 'tool_call', id: `t${turn}`, name: 'Bash', input: { command }, command });
        appendFileSync(rest[0], 'x\n');
        out({ type: 'tool_result', id: `t${turn}`, output: '', isError: false });
        process.exit(3);
      }
      case 'crash':
        out({ type: 'text', id: `a${turn}`, role: 'assistant', text: 'about to crash' });
        process.exit(3);
      case 'stubborn':
        process.on('SIGTERM', () => {});
        return;
      case 'garbage':
        process.stdout.write('not json\n{"type":"nope"}\n');
        out({ type: 'text', id: 'g1', role: 'assistant', text: 'one' });
        process.stdout.write('{"type":"text"\n');
        out({ type: 'text', id: 'g2', role: 'assistant', text: 'two' });
        out({ type: 'status', status: 'done', reason: 'completed' });
        return;
      case 'burst': {
        const lines: string[] = [];
        for (let i = 0; i < Number(rest[0]); i++) {
          lines.push(JSON.stringify({ type: 'tool_call', id: `b${i}`, name: 'Bash', input: { command: `echo ${i}` }, command: `echo ${i}` }));
          lines.push(JSON.stringify({ type: 'tool_result', id: `b${i}`, output: `${i}\n`, isError: false }));
        }
        process.stdout.write(`${lines.join('\n')}\n`);
        out({ type: 'status', status: 'done', reason: 'completed' });
        return;
      }
      case 'fuzz':
        await fuzz(Number(rest[0]), Number(rest[1]));
        out({ type: 'status', status: 'done', reason: 'completed' });
        return;
      case 'slow':
        slowTurn = true;
        return;
      default:
        return; // hang
    }
  },
});

/** Writes `n` lines; about a third are valid events. Valid texts carry ids v0.. in order, so a test can check all arrived. */
async function fuzz(n: number, seed: number): Promise<void> {
  let state = seed;
  const rand = (k: number) => { state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff; return state % k; };
  const valid = (i: number) => JSON.stringify({ type: 'text', id: `v${i}`, role: 'assistant', text: `valid ${i}` });
  let v = 0;
  const chunks: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = rand(8);
    if (kind <= 2) chunks.push(valid(v++));
    else if (kind === 3) chunks.push(Array.from({ length: rand(200) }, () => String.fromCharCode(rand(0x3000) + 1)).join('').replace(/\n/g, ' '));
    else if (kind === 4) chunks.push(valid(-1).slice(0, rand(40)));
    else if (kind === 5) chunks.push(JSON.stringify({ type: 'text', id: rand(2) ? 7 : null, role: 'robot', text: { nested: true } }));
    else if (kind === 6) chunks.push(JSON.stringify({ type: ['status', 'cost', 'mystery', '__proto__'][rand(4)], status: 'exploded', costUsd: -1 }));
    else chunks.push('[1,2,3]');
    if (i === Math.floor(n / 2)) chunks.push(`{"type":"text","id":"big","role":"assistant","text":"${'x'.repeat(9 * 1024 * 1024)}"}`);
    if (chunks.length >= 200) { process.stdout.write(chunks.join('\n') + '\n'); chunks.length = 0; await Bun.sleep(0); }
  }
  if (chunks.length) process.stdout.write(chunks.join('\n') + '\n');
}
