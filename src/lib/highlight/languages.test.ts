import { describe, expect, it } from 'vitest';
import { languageForFence, languageForName, languageForPath, loadGrammar } from './languages';

describe('languageForPath', () => {
  it.each([
    ['src/lib/markdown.ts', 'typescript'],
    ['/home/me/app/Component.TSX', 'tsx'],
    ['C:\\work\\tool\\main.rs', 'rust'],
    ['scripts/build.sh', 'bash'],
    ['~/.bashrc', 'bash'],
    ['package.json', 'json'],
    ['config/app.yml', 'yaml'],
    ['Gemfile', 'ruby'],
    ['pkg/server.go', 'go'],
    ['include/list.h', 'c'],
    ['src/App.svelte', 'html'],
    ['fix.patch', 'diff'],
  ])('%s → %s', (path, language) => {
    expect(languageForPath(path)).toBe(language);
  });

  it.each(['Makefile', 'notes.txt', 'archive.tar.gz', 'README', 'dir/', '', 'file.'])('knows no language for %j', (path) => {
    expect(languageForPath(path)).toBeNull();
  });
});

describe('languageForFence', () => {
  it.each([
    ['ts', 'typescript'],
    ['TypeScript', 'typescript'],
    ['js', 'javascript'],
    ['sh', 'bash'],
    ['console', 'bash'],
    ['python title="x.py"', 'python'],
    ['{.rust}', 'rust'],
    ['  yaml  ', 'yaml'],
  ])('%j → %s', (info, language) => {
    expect(languageForFence(info)).toBe(language);
  });

  it.each(['', 'text', 'brainfuck', 'constructor', '__proto__'])('knows no language for %j', (info) => {
    expect(languageForFence(info)).toBeNull();
  });
});

describe('loadGrammar', () => {
  it('loads the grammar a name stands for', async () => {
    const grammar = await loadGrammar(languageForName('py')!);
    expect(grammar.default.map((g) => g.name)).toContain('python');
  });
});
