/**
 * The languages Corral highlights, and how a code block names one: a
 * markdown fence's info string (```ts) or a file path (a Read of foo.ts).
 * A small set on purpose: each grammar is its own chunk, loaded the first
 * time a block in that language is shown.
 */
import type { LanguageRegistration } from 'shiki/core';

type GrammarModule = Promise<{ default: LanguageRegistration[] }>;

/** Loaders of the grammars, keyed by the shiki language name. Static imports, so the bundler splits each into a chunk. */
const GRAMMARS = {
  bash: () => import('@shikijs/langs/bash'),
  c: () => import('@shikijs/langs/c'),
  cpp: () => import('@shikijs/langs/cpp'),
  css: () => import('@shikijs/langs/css'),
  diff: () => import('@shikijs/langs/diff'),
  go: () => import('@shikijs/langs/go'),
  html: () => import('@shikijs/langs/html'),
  java: () => import('@shikijs/langs/java'),
  javascript: () => import('@shikijs/langs/javascript'),
  json: () => import('@shikijs/langs/json'),
  jsx: () => import('@shikijs/langs/jsx'),
  python: () => import('@shikijs/langs/python'),
  ruby: () => import('@shikijs/langs/ruby'),
  rust: () => import('@shikijs/langs/rust'),
  sql: () => import('@shikijs/langs/sql'),
  toml: () => import('@shikijs/langs/toml'),
  tsx: () => import('@shikijs/langs/tsx'),
  typescript: () => import('@shikijs/langs/typescript'),
  yaml: () => import('@shikijs/langs/yaml'),
} satisfies Record<string, () => GrammarModule>;

/** A language Corral can highlight (a shiki language name). */
export type Language = keyof typeof GRAMMARS;

/** Loads the grammar of `language` (and the grammars it embeds). Rejects when the chunk cannot load. */
export function loadGrammar(language: Language): GrammarModule {
  return GRAMMARS[language]();
}

const isLanguage = (name: string): name is Language => Object.hasOwn(GRAMMARS, name);

/** Other names and file extensions for the languages, lower case. */
const ALIASES: Record<string, Language> = {
  sh: 'bash', shell: 'bash', shellscript: 'bash', zsh: 'bash', console: 'bash', bashrc: 'bash', zshrc: 'bash',
  h: 'c',
  'c++': 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp',
  patch: 'diff',
  golang: 'go',
  htm: 'html', xhtml: 'html', svelte: 'html', vue: 'html',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript',
  jsonc: 'json', json5: 'json', jsonl: 'json', ndjson: 'json', geojson: 'json',
  py: 'python', pyi: 'python', python3: 'python',
  rb: 'ruby', gemspec: 'ruby', rake: 'ruby',
  rs: 'rust',
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  yml: 'yaml',
};

/** File names that name their language without an extension. */
const FILE_NAMES: Record<string, Language> = {
  gemfile: 'ruby', rakefile: 'ruby', '.profile': 'bash', '.bash_profile': 'bash', 'cargo.lock': 'toml', pipfile: 'toml',
};

/** The language a name stands for: a shiki name, an alias or an extension (any case); null when unknown. */
export function languageForName(name: string): Language | null {
  const n = name.trim().toLowerCase();
  if (isLanguage(n)) return n;
  return Object.hasOwn(ALIASES, n) ? ALIASES[n] : null;
}

/**
 * The language of a markdown fence from its info string (the text after the
 * opening ``` or ~~~, e.g. "ts" or "python title=x.py"): its first word.
 * Null when there is none or it is not one Corral highlights.
 */
export function languageForFence(info: string): Language | null {
  const word = info.trim().split(/\s+/, 1)[0] ?? '';
  return word ? languageForName(word.replace(/^\{?\.?/, '').replace(/\}$/, '')) : null;
}

/**
 * The language of a file from its path (POSIX or Windows separators): by
 * file name (Gemfile, .bashrc) or by extension (src/app.ts → typescript).
 * Null when the path names none Corral highlights.
 */
export function languageForPath(path: string): Language | null {
  const base = path.trim().split(/[\\/]/).pop()?.toLowerCase() ?? '';
  if (!base) return null;
  if (Object.hasOwn(FILE_NAMES, base)) return FILE_NAMES[base];
  const dot = base.lastIndexOf('.');
  return dot >= 0 ? languageForName(base.slice(dot + 1)) : null;
}
