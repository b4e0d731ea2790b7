import { describe, expect, it } from 'vitest';
import { assistantText, userText, wire } from '../testing/wire';
import { Transcript } from './transcript';

const texts = (t: Transcript) => t.messages.map((m) => m.text);

describe('Transcript: each seqId once, in order', () => {
  it('drops duplicates, within a batch and across batches', () => {
    const t = new Transcript();
    expect(t.ingest([userText(0, 'a'), userText(0, 'a'), assistantText(1, 'b', 'm', 'append')]).fresh.map((w) => w.seqId)).toEqual([0, 1]);
    expect(t.ingest([assistantText(1, 'b', 'm', 'append'), assistantText(2, 'c', 'm', 'append')]).fresh.map((w) => w.seqId)).toEqual([2]);
    expect(texts(t)).toEqual(['a', 'bc']);
  });

  it('orders a batch that arrives out of order', () => {
    const t = new Transcript();
    const r = t.ingest([assistantText(2, 'c'), userText(0, 'a'), assistantText(1, 'b')]);
    expect(r).toMatchObject({ gap: false });
    expect(texts(t)).toEqual(['a', 'b', 'c']);
    expect(t.maxSeqId).toBe(2);
  });

  it('holds back what follows a gap, reports it, and applies it in order once the gap fills', () => {
    const t = new Transcript();
    t.ingest([userText(0, 'a')]);
    const r = t.ingest([assistantText(3, 'd'), assistantText(4, 'e')]);
    expect(r).toEqual({ fresh: [], displayChanged: false, gap: true });
    expect([t.maxSeqId, t.heldCount, texts(t)]).toEqual([0, 2, ['a']]);
    // A held seqId is not applied twice when it comes again.
    expect(t.ingest([assistantText(3, 'd')]).fresh).toEqual([]);
    const filled = t.ingest([assistantText(1, 'b'), assistantText(2, 'c')]);
    expect(filled.fresh.map((w) => w.seqId)).toEqual([1, 2, 3, 4]);
    expect([filled.gap, t.maxSeqId, t.heldCount]).toEqual([false, 4, 0]);
    expect(texts(t)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('streams into one message in seqId order even when its deltas arrive out of order across a gap', () => {
    const t = new Transcript();
    t.ingest([assistantText(0, 'Hel', 'm', 'append')]);
    t.ingest([assistantText(2, ' world', 'm', 'append')]);
    expect(texts(t)).toEqual(['Hel']);
    t.ingest([assistantText(1, 'lo', 'm', 'append')]);
    expect(texts(t)).toEqual(['Hello world']);
  });

  it('takes a complete answer (session.sync) whole, with what was held, and accepts a hole in it', () => {
    const t = new Transcript();
    t.ingest([userText(0, 'a')]);
    t.ingest([assistantText(5, 'f')]);
    // The main process lost 2 in a crash: its answer after 0 is 1, 3, 4 (and 5 again).
    const r = t.ingest([assistantText(1, 'b'), assistantText(3, 'd'), assistantText(4, 'e'), assistantText(5, 'f')], { complete: true });
    expect(r.fresh.map((w) => w.seqId)).toEqual([1, 3, 4, 5]);
    expect([r.gap, t.maxSeqId, texts(t)]).toEqual([false, 5, ['a', 'b', 'd', 'e', 'f']]);
  });

  it('a stored transcript equals the same messages arriving live in order', () => {
    const wires = [userText(0, 'q'), wire(1, { type: 'tool_call', id: 'c', name: 'Bash', input: {}, command: 'ls' }), wire(2, { type: 'tool_result', id: 'c', output: 'x', isError: false }), assistantText(3, 'done')];
    const live = new Transcript();
    for (const w of wires) live.ingest([w]);
    const stored = Transcript.fromStored([...wires].reverse());
    expect(stored.messages.map(({ key, role, text }) => ({ key, role, text }))).toEqual(live.messages.map(({ key, role, text }) => ({ key, role, text })));
  });

  it('gives a tool result the name and file path of the call it answers', () => {
    const t = Transcript.fromStored([
      wire(0, { type: 'tool_call', id: 'r', name: 'Read', input: { file_path: 'src/app.ts' }, path: 'src/app.ts' }),
      wire(1, { type: 'tool_result', id: 'r', output: 'export const app = 1;', isError: false }),
      wire(2, { type: 'tool_result', id: 'orphan', output: 'no call', isError: false }),
    ]);
    expect(t.messages.slice(1).map(({ toolName, toolPath }) => ({ toolName, toolPath }))).toEqual([
      { toolName: 'Read', toolPath: 'src/app.ts' },
      { toolName: undefined, toolPath: undefined },
    ]);
  });

  it('keeps the titles of permission requests for a resync to name them', () => {
    const t = Transcript.fromStored([wire(0, { type: 'permission_request', id: 'p1', title: 'Run ls?', options: [] })]);
    expect(t.permissionTitle('p1')).toBe('Run ls?');
    expect(t.permissionTitle('nope')).toBeUndefined();
  });
});

describe('Transcript: a window of a longer session', () => {
  // A session of 40 messages: prompt, a streamed answer in 3 deltas, a tool call and its result, repeated.
  const session = Array.from({ length: 40 }, (_, seqId) => {
    const turn = Math.floor(seqId / 6);
    switch (seqId % 6) {
      case 0: return userText(seqId, `prompt ${turn}`);
      case 1: case 2: case 3: return assistantText(seqId, `[${turn}.${seqId % 6}]`, `answer-${turn}`, 'append');
      case 4: return wire(seqId, { type: 'tool_call', id: `call-${turn}`, name: 'Bash', input: { command: `ls ${turn}` }, command: `ls ${turn}` });
      default: return wire(seqId, { type: 'tool_result', id: `call-${turn}`, output: `out ${turn}`, isError: false });
    }
  });
  const rows = (t: Transcript) => t.messages.map((m) => [m.key, m.seqId, m.text, m.toolName]);
  const full = Transcript.fromStored(session);

  it('pages a tail back to the whole session, joining a streamed answer and a result the page edges cut', () => {
    // The tail starts mid-answer: seqId 14 is the second of turn 2's three deltas (13, 14, 15).
    const t = Transcript.fromStored(session.slice(14), true);
    expect([t.hasEarlier, t.earlierBefore]).toEqual([true, 14]);
    expect(t.messages[0]).toMatchObject({ key: 'assistant:answer-2', text: '[2.2][2.3]', seqId: 14 });
    // The page 5..13 holds 7 rows; one of them (answer-2) is the start of a row already in the window.
    expect(t.prepend(session.slice(5, 14), true)).toBe(6);
    expect(t.messages.find((m) => m.key === 'assistant:answer-2')).toMatchObject({ text: '[2.1][2.2][2.3]', seqId: 13 });
    expect([t.hasEarlier, t.earlierBefore, t.frontOffset]).toEqual([true, 5, -6]);
    // The result of turn 0 is in the window (seqId 5); its call comes with the last page.
    expect(t.messages[0]).toMatchObject({ key: 'tool-result:call-0', toolName: undefined });
    t.prepend(session.slice(0, 5), false);
    expect(t.hasEarlier).toBe(false);
    expect(rows(t)).toEqual(rows(full));
    expect(t.maxSeqId).toBe(39);
  });

  it('trims the oldest rows, keeps taking live events, and pages them back as they were', () => {
    const t = Transcript.fromStored(session.slice(0, 30));
    // 30 messages are 5 turns of 4 rows.
    expect(t.trimFront(8)).toBe(12);
    expect([t.messages.length, t.hasEarlier, t.frontOffset]).toEqual([8, true, 12]);
    // A trimmed seqId is still seen: a late duplicate does not come back as a row.
    expect(t.ingest([session[3]]).fresh).toEqual([]);
    t.ingest(session.slice(30));
    const before = t.earlierBefore;
    expect(before).toBe(t.messages[0].seqId);
    t.prepend(session.filter((w) => w.seqId < before), false);
    expect(rows(t)).toEqual(rows(full));
    expect(t.frontOffset).toBe(0);
  });

  it('stops paging when an older page comes back empty', () => {
    const t = Transcript.fromStored(session.slice(20), true);
    expect(t.prepend([], true)).toBe(0);
    expect(t.hasEarlier).toBe(false);
  });
});
