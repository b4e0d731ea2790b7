import { describe, expect, it } from 'vitest';
import { splitNumberedListing } from './numbered-listing';

describe('splitNumberedListing', () => {
  it('splits the line numbers of a Read listing (arrow or tab) from the code', () => {
    expect(splitNumberedListing('     1→const a = 1;\n     2→\n    10\texport { a };\n')).toEqual({
      gutters: ['     1→', '     2→', '    10\t', ''],
      code: 'const a = 1;\n\nexport { a };\n',
    });
  });

  it('leaves text that is not a numbered listing alone', () => {
    expect(splitNumberedListing('const a = 1;\n     2→b')).toBeNull();
    expect(splitNumberedListing('2024 was a year\n2025\tis another')).toBeNull();
    expect(splitNumberedListing('')).toBeNull();
  });
});
