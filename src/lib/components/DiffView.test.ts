import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { fileDiffs } from '../file-diff';
import DiffView from './DiffView.svelte';
import ToolCall from './ToolCall.svelte';

/** The table rows as the user reads them: old number, new number, sign, text. */
function rowsOf(container: HTMLElement): string[] {
  return [...container.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent).join('|'));
}

const BEFORE = 'alpha\nbravo\ncharlie\ndelta\necho\nfoxtrot\ngolf\nhotel\n';
const AFTER = 'alpha\nbravo\ncharlie\nDELTA\ndelta two\necho\nfoxtrot\ngolf\nhotel\n';

describe('DiffView', () => {
  it('shows the path, the added and removed counts, and each line with its numbers', () => {
    const [diff] = fileDiffs([{ path: '/p/a.txt', oldText: BEFORE, newText: AFTER, oldStart: 1, newStart: 1 }]);
    const { container } = render(DiffView, { props: { diff } });
    const summary = container.querySelector('summary')!;
    expect(summary.querySelector('code')!.textContent).toBe('/p/a.txt');
    expect(screen.getByTitle('Lines added').textContent).toBe('+2');
    expect(screen.getByTitle('Lines removed').textContent).toBe('-1');
    expect(rowsOf(container)).toEqual([
      '1|1| |alpha', '2|2| |bravo', '3|3| |charlie', '4||-|delta', '|4|+|DELTA', '|5|+|delta two', '5|6| |echo', '6|7| |foxtrot', '7|8| |golf',
    ]);
    expect(screen.queryByText('new file')).toBeNull();
  });

  it('is collapsible from its header', async () => {
    const [diff] = fileDiffs([{ path: 'a', oldText: 'x\n', newText: 'y\n' }]);
    const { container } = render(DiffView, { props: { diff } });
    const details = container.querySelector('details')!;
    expect(details.open).toBe(true);
    await fireEvent.click(container.querySelector('summary')!);
    expect(details.open).toBe(false);
  });

  it('shows a written new file as all added lines', () => {
    const [diff] = fileDiffs([{ path: '/p/new.txt', oldText: null, newText: 'one\ntwo\nthree\n' }]);
    const { container } = render(DiffView, { props: { diff } });
    expect(screen.getByText('new file')).toBeInstanceOf(HTMLElement);
    expect(screen.getByTitle('Lines added').textContent).toBe('+3');
    expect(screen.getByTitle('Lines removed').textContent).toBe('-0');
    expect(rowsOf(container)).toEqual(['|1|+|one', '|2|+|two', '|3|+|three']);
  });

  it('truncates a long diff and shows the rest on demand', async () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n');
    const [diff] = fileDiffs([{ path: 'big.txt', oldText: null, newText: text }]);
    const { container } = render(DiffView, { props: { diff, maxRows: 50 } });
    expect(rowsOf(container)).toHaveLength(50);
    expect(rowsOf(container).at(-1)).toBe('|50|+|line 50');
    await fireEvent.click(screen.getByRole('button', { name: 'Show all 200 lines (150 more)' }));
    expect(rowsOf(container)).toHaveLength(200);
    expect(rowsOf(container).at(-1)).toBe('|200|+|line 200');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('draws a tool call\'s edits as one diff per file', () => {
    const { container } = render(ToolCall, {
      props: {
        tool: {
          name: 'MultiEdit', input: {}, path: '/p/a.txt',
          edits: [
            { path: '/p/a.txt', oldText: 'delta\n', newText: 'DELTA\n' },
            { path: '/p/a.txt', oldText: 'golf\n', newText: '' },
          ],
        },
      },
    });
    expect(container.querySelectorAll('details.diff-view')).toHaveLength(1);
    expect(rowsOf(container)).toEqual(['||-|delta', '||+|DELTA', '⋯', '||-|golf']);
    expect(screen.getByTitle('Lines removed').textContent).toBe('-2');
  });
});
