import { describe, expect, it } from 'bun:test';
import { createLineBatcher } from './line-batcher';

/** A batcher whose end-of-tick flushes run only when the test says so. */
function manual() {
  const chunks: string[] = [];
  const deferred: (() => void)[] = [];
  const batcher = createLineBatcher((c) => chunks.push(c), (fn) => deferred.push(fn));
  return { batcher, chunks, endTick: () => deferred.splice(0).forEach((fn) => fn()) };
}

describe('createLineBatcher', () => {
  it('writes the lines of one tick as one chunk, in order, each ending in a newline', () => {
    const { batcher, chunks, endTick } = manual();
    batcher.push('{"a":1}');
    batcher.push('{"b":2}');
    expect(chunks).toEqual([]);
    expect(batcher.pending).toBe(2);
    endTick();
    expect(chunks).toEqual(['{"a":1}\n{"b":2}\n']);
    batcher.push('{"c":3}');
    endTick();
    expect(chunks).toEqual(['{"a":1}\n{"b":2}\n', '{"c":3}\n']);
  });

  it('flush writes what is pending at once, and the later end of tick writes nothing twice', () => {
    const { batcher, chunks, endTick } = manual();
    batcher.push('x');
    batcher.flush();
    expect(chunks).toEqual(['x\n']);
    expect(batcher.pending).toBe(0);
    endTick();
    expect(chunks).toEqual(['x\n']);
  });

  it('by default flushes on setImmediate, after the current tick', async () => {
    const chunks: string[] = [];
    const batcher = createLineBatcher((c) => chunks.push(c));
    batcher.push('1');
    await Promise.resolve();
    batcher.push('2');
    expect(chunks).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(chunks).toEqual(['1\n2\n']);
  });
});
