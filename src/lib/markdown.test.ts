import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

function dom(html: string) {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders markdown', () => {
    const d = dom(renderMarkdown('# Title\n\n- **bold** item\n\n```ts\nconst x = 1;\n```'));
    expect(d.querySelector('h1')?.textContent).toBe('Title');
    expect(d.querySelector('li strong')?.textContent).toBe('bold');
    expect(d.querySelector('pre code')?.textContent).toContain('const x = 1;');
  });

  it('shows raw HTML as text rather than parsing it', () => {
    const d = dom(renderMarkdown('Use <Button onClick={go}> here'));
    expect(d.querySelector('button')).toBeNull();
    expect(d.textContent).toContain('<Button onClick={go}>');
  });

  it('turns images into links and keeps only safe link targets', () => {
    const d = dom(renderMarkdown('![pic](https://example.com/a.png) [bad](javascript:alert(1)) [ok](https://example.com)'));
    expect(d.querySelector('img')).toBeNull();
    const hrefs = [...d.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toContain('https://example.com/a.png');
    expect(hrefs).toContain('https://example.com');
    expect(hrefs.some((h) => h?.startsWith('javascript:'))).toBe(false);
    for (const a of d.querySelectorAll('a[href]')) expect(a.getAttribute('target')).toBe('_blank');
  });
});
