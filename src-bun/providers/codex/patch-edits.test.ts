import { afterEach, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AgentEventSchema, type AgentEvent } from '../../../src/shared/events';
import { EDIT_FILE, EDIT_PATCH, WRITE_FILE, WRITE_PATCH } from '../../../test/model-server/main';
import { createCodexAdapter } from './adapter';
import { parsePatchEdits, placeEdits, rolloutPatches } from './patch-edits';
import { createRolloutEdits } from './rollout-edits';

const FIXTURES = resolve(import.meta.dir, '../../../test/fixtures/codex');
const CWD = '/tmp/corral-fixture/proj';
const EDIT_PATH = `${CWD}/${EDIT_FILE.name}`;
const fixture = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');
const lines = (name: string) => fixture(name).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const PLACED = { path: EDIT_PATH, oldText: 'charlie\ndelta\necho\n', newText: 'charlie\nDELTA\ndelta two\necho\n', oldStart: 3, newStart: 3 };

describe('Codex apply_patch edits on the recorded edit', () => {
  it('finds the patch in the rollout, parses its chunk and places it in the file as it is after', () => {
    const [patch] = rolloutPatches(fixture('edit.rollout.jsonl'));
    expect(patch).toBe(EDIT_PATCH);
    const edits = parsePatchEdits(patch!, CWD);
    expect(edits).toEqual([{ path: EDIT_PATH, oldText: 'charlie\ndelta\necho\n', newText: 'charlie\nDELTA\ndelta two\necho\n' }]);
    expect(placeEdits(edits, EDIT_FILE.after)).toEqual([PLACED]);
  });

  it('sends the file_change call again with the edits of its file, under the same id', () => {
    const adapter = createCodexAdapter({ idPrefix: 't1' });
    const events = lines('edit.jsonl').flatMap((r) => adapter.adapt(r));
    const [call] = events.filter((e) => e.type === 'tool_call');
    const again = adapter.fileChangeEdits('item_0', [PLACED, { ...PLACED, path: '/elsewhere' }]);
    expect(again).toEqual([{ type: 'tool_call', id: call!.id, name: 'apply_patch', input: { path: EDIT_PATH, kind: 'update' }, path: EDIT_PATH, edits: [PLACED] }]);
    for (const e of again) expect(AgentEventSchema.parse(e)).toEqual(e as AgentEvent);
    expect(adapter.fileChangeEdits('item_9', [PLACED])).toEqual([]);
  });
});

describe('parsePatchEdits', () => {
  it('reads an added file whole, from line 1 (the write scenario\'s patch)', () => {
    expect(parsePatchEdits(WRITE_PATCH, CWD)).toEqual([{ path: `${CWD}/${WRITE_FILE.name}`, oldText: null, newText: WRITE_FILE.content, oldStart: 1, newStart: 1 }]);
  });

  it('splits chunks at @@, follows a move, leaves deletions out and keeps absolute paths', () => {
    const patch = [
      '*** Begin Patch', '*** Update File: src/a.ts', '*** Move to: src/b.ts', '@@ function one', ' one', '-two', '+TWO', '@@', ' ten', '+eleven', '*** End of File',
      '*** Delete File: gone.txt', '*** Update File: /abs/c.txt', '-x', '+y', '*** End Patch', '',
    ].join('\n');
    expect(parsePatchEdits(patch, '/w')).toEqual([
      { path: '/w/src/b.ts', oldText: 'one\ntwo\n', newText: 'one\nTWO\n' },
      { path: '/w/src/b.ts', oldText: 'ten\n', newText: 'ten\neleven\n' },
      { path: '/abs/c.txt', oldText: 'x\n', newText: 'y\n' },
    ]);
  });

  it('places later chunks by the lines earlier ones added, and leaves a chunk it cannot find unplaced', () => {
    const after = 'a\nB\nB2\nc\nd\ne\nF\n';
    const edits = [{ path: 'f', oldText: 'a\nb\nc\n', newText: 'a\nB\nB2\nc\n' }, { path: 'f', oldText: 'e\nf\n', newText: 'e\nF\n' }];
    expect(placeEdits(edits, after).map((e) => [e.oldStart, e.newStart])).toEqual([[1, 1], [5, 6]]);
    expect(placeEdits([{ path: 'f', oldText: 'q\n', newText: 'Q\n' }, edits[1]!], after).map((e) => e.oldStart)).toEqual([undefined, undefined]);
  });

  it('skips rollout lines that are not apply_patch calls, and reads the function-call form', () => {
    const text = ['not json apply_patch', JSON.stringify({ type: 'response_item', payload: { type: 'function_call', name: 'apply_patch', arguments: JSON.stringify({ input: 'P' }) } }),
      JSON.stringify({ type: 'response_item', payload: { type: 'function_call', name: 'exec_command', arguments: '{}' } })].join('\n');
    expect(rolloutPatches(text)).toEqual(['P']);
  });
});

describe('createRolloutEdits: the runner\'s reading of the rollout and files', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('matches the turn\'s file_change to the patch written after the turn began, and waits for one not written yet', () => {
    dir = mkdtempSync(join(tmpdir(), 'corral-rollout-'));
    const thread = '01a2-thread';
    const day = join(dir, 'home', 'sessions', '2026', '12', '02');
    mkdirSync(day, { recursive: true });
    const project = join(dir, 'proj');
    mkdirSync(project);
    writeFileSync(join(project, EDIT_FILE.name), EDIT_FILE.after);
    const rollout = join(day, `rollout-2026-12-02T16-00-00-${thread}.jsonl`);
    // An earlier turn's patch of the same file is not this turn's.
    const earlier = JSON.stringify({ type: 'response_item', payload: { type: 'custom_tool_call', name: 'apply_patch', input: EDIT_PATCH.replace('DELTA', 'OLD') } });
    writeFileSync(rollout, `${earlier}\n`);
    const reader = createRolloutEdits(join(dir, 'home'), project);
    reader.begin(thread);
    reader.add({ itemId: 'item_0', changes: [{ path: join(project, EDIT_FILE.name), kind: 'update' }] });
    expect(reader.resolve(thread)).toEqual([]);
    writeFileSync(rollout, `${earlier}\n${fixture('edit.rollout.jsonl').replaceAll(CWD, project)}`);
    expect(reader.resolve(thread)).toEqual([['item_0', [{ ...PLACED, path: join(project, EDIT_FILE.name) }]]]);
    expect(reader.resolve(thread)).toEqual([]);
  });
});
