import { describe, expect, it } from 'vitest';
import { HeightIndex } from './virtual-layout';

describe('HeightIndex', () => {
  it('uses the estimate for unmeasured rows and measured heights where known', () => {
    const h = new HeightIndex(50);
    h.setCount(4);
    expect(h.totalPx).toBe(200);
    expect(h.setHeight(1, 120)).toBe(70);
    expect(h.offsetOf(2)).toBe(170);
    expect(h.totalPx).toBe(270);
    expect(h.setHeight(1, 120)).toBe(0);
  });

  it('finds the row under a y offset', () => {
    const h = new HeightIndex(10);
    h.setCount(100);
    h.setHeight(0, 100);
    expect(h.indexAt(0)).toBe(0);
    expect(h.indexAt(99)).toBe(0);
    expect(h.indexAt(100)).toBe(1);
    expect(h.indexAt(115)).toBe(2);
    expect(h.indexAt(1e9)).toBe(99);
    expect(new HeightIndex().indexAt(50)).toBe(0);
  });

  it('keeps offsets right across growth, measurement and shrinking', () => {
    const h = new HeightIndex(10);
    h.setCount(3);
    h.setHeight(2, 30);
    h.setCount(5);
    expect(h.totalPx).toBe(10 + 10 + 30 + 10 + 10);
    h.setCount(2);
    expect(h.totalPx).toBe(20);
    h.setCount(3);
    expect(h.totalPx).toBe(30);
  });
});
