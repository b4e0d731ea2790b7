import { describe, expect, it } from 'vitest';
import { fileDiffs, type DiffRow } from './file-diff';

/** A row as `kind old new text`, `.` for an absent line number. */
const show = (r: DiffRow) => `${r.kind} ${r.oldLine ?? '.'} ${r.newLine ?? '.'} ${r.text}`;

const BEFORE = 'alpha\nbravo\ncharlie\ndelta\necho\nfoxtrot\ngolf\nhotel\n';
const AFTER = 'alpha\nbravo\ncharlie\nDELTA\ndelta two\necho\nfoxtrot\ngolf\nhotel\n';

describe('fileDiffs', () => {
  it('numbers a whole-file edit from line 1, with three lines of context and the counts', () => {
    const [diff] = fileDiffs([{ path: '/p/a.txt', oldText: BEFORE, newText: AFTER, oldStart: 1, newStart: 1 }]);
    expect(diff.added).toBe(2);
    expect(diff.removed).toBe(1);
    expect(diff.created).toBe(false);
    expect(diff.rows.map(show)).toEqual([
      'context 1 1 alpha', 'context 2 2 bravo', 'context 3 3 charlie',
      'removed 4 . delta', 'added . 4 DELTA', 'added . 5 delta two',
      'context 5 6 echo', 'context 6 7 foxtrot', 'context 7 8 golf',
    ]);
  });

  it('shows a created file as all added, numbered from 1', () => {
    const [diff] = fileDiffs([{ path: '/p/new.txt', oldText: null, newText: 'one\ntwo\n' }]);
    expect(diff).toMatchObject({ path: '/p/new.txt', created: true, added: 2, removed: 0 });
    expect(diff.rows.map(show)).toEqual(['added . 1 one', 'added . 2 two']);
  });

  it('offsets a snippet by where it starts in the file, and leaves numbers out when that is unknown', () => {
    const snippet = { path: '/p/a.txt', oldText: 'charlie\ndelta\n', newText: 'charlie\nDELTA\ndelta two\n' };
    expect(fileDiffs([{ ...snippet, oldStart: 3, newStart: 3 }])[0].rows.map(show)).toEqual([
      'context 3 3 charlie', 'removed 4 . delta', 'added . 4 DELTA', 'added . 5 delta two',
    ]);
    expect(fileDiffs([snippet])[0].rows.map(show)).toEqual([
      'context . . charlie', 'removed . . delta', 'added . . DELTA', 'added . . delta two',
    ]);
  });

  it('joins edits of one file with a gap, keeps files apart in order, and counts each file', () => {
    const diffs = fileDiffs([
      { path: '/p/b.txt', oldText: 'x\n', newText: 'y\n', oldStart: 10, newStart: 10 },
      { path: '/p/a.txt', oldText: null, newText: 'new\n' },
      { path: '/p/b.txt', oldText: 'p\nq\n', newText: 'p\n', oldStart: 40, newStart: 40 },
    ]);
    expect(diffs.map((d) => [d.path, d.added, d.removed])).toEqual([['/p/b.txt', 1, 2], ['/p/a.txt', 1, 0]]);
    expect(diffs[0].rows.map(show)).toEqual(['removed 10 . x', 'added . 10 y', 'gap . . ', 'context 40 40 p', 'removed 41 . q']);
  });

  it('puts a gap between hunks that lie far apart and skips the no-newline marker', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n');
    const next = old.replace('l2', 'L2').replace('l19', 'L19');
    const rows = fileDiffs([{ path: 'f', oldText: old, newText: next, oldStart: 1, newStart: 1 }])[0].rows;
    expect(rows.filter((r) => r.kind === 'gap')).toHaveLength(1);
    expect(rows.filter((r) => r.kind !== 'context').map(show)).toEqual([
      'removed 2 . l2', 'added . 2 L2', 'gap . . ', 'removed 19 . l19', 'added . 19 L19',
    ]);
    expect(rows.some((r) => r.text.includes('No newline'))).toBe(false);
  });
});
