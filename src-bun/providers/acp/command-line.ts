/**
 * The ACP agent's command line: split like a POSIX shell would split words
 * (quotes and backslashes, no expansion, no shell ever runs), and its program
 * found on PATH or among the agents Corral bundles (node_modules/.bin).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { findOnPath } from '../codex/binary';

/**
 * Splits a command line into argv: whitespace separates words; `'…'` is
 * literal, `"…"` honours `\"` and `\\`, a bare `\` escapes the next
 * character. `gemini --acp --model "gemini 3"` -> `['gemini', '--acp', '--model', 'gemini 3']`.
 * Throws on an unterminated quote.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in the agent command: ${line}`);
  if (inWord) words.push(word);
  return words;
}

/** Corral's own node_modules/.bin, where bundled agent CLIs (gemini, claude-agent-acp) live in a source checkout. */
export const BUNDLED_BIN_DIR = resolve(import.meta.dir, '../../../node_modules/.bin');

/**
 * Finds an agent program: a path (containing `/`) must exist; a bare name is
 * looked up on the PATH of `env`, then in {@link BUNDLED_BIN_DIR}. Null when not found.
 */
export function resolveAgentProgram(program: string, env: Record<string, string | undefined>): string | null {
  const onPath = findOnPath(program, env);
  if (onPath || program.includes('/')) return onPath;
  const bundled = resolve(BUNDLED_BIN_DIR, program);
  return existsSync(bundled) ? bundled : null;
}
