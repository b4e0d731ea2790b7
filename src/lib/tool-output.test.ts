import { describe, expect, it } from 'vitest';
import { EXPANDED_CHARS, PREVIEW_CHARS, viewOutput } from './tool-output';

describe('viewOutput', () => {
  it('keeps short output whole', () => {
    expect(viewOutput('a\nb', false)).toEqual({ text: 'a\nb', truncated: false, hiddenLines: 0 });
  });

  it('cuts to the first 12 lines and counts the rest', () => {
    const out = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n');
    const v = viewOutput(out, false);
    expect(v.text.split('\n')).toHaveLength(12);
    expect(v.text.endsWith('l12')).toBe(true);
    expect(v).toMatchObject({ truncated: true, hiddenLines: 8 });
  });

  it('cuts one long line at the character limit', () => {
    const v = viewOutput('x'.repeat(PREVIEW_CHARS + 5), false);
    expect(v.text).toHaveLength(PREVIEW_CHARS);
    expect(v.truncated).toBe(true);
  });

  it('caps even expanded output', () => {
    const v = viewOutput('y'.repeat(EXPANDED_CHARS + 1), true);
    expect(v.text).toHaveLength(EXPANDED_CHARS);
    expect(v.truncated).toBe(true);
  });
});
