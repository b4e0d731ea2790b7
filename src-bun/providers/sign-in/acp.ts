/**
 * An ACP agent's sign-in, where Corral knows the agent: Gemini CLI (an API
 * key from GEMINI_API_KEY or GOOGLE_API_KEY, Vertex AI, or the Google login
 * it keeps in `~/.gemini/oauth_creds.json`), and the ACP adapters of Claude
 * Code and Codex, which sign in like the CLIs they wrap. Any other agent
 * signs in its own way: `unknown`.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { SignIn } from '../../../src/shared/sign-in';
import { splitCommandLine } from '../acp/command-line';
import { setVariables, shellWord } from './brief-command';

/** Variables Gemini CLI takes a key from, or that select Vertex AI. */
export const GEMINI_KEY_VARIABLES = ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GENAI_USE_VERTEXAI'] as const;

/** Gemini CLI's sign-in; `program` is the resolved `gemini` executable. */
export function geminiSignIn(env: Record<string, string | undefined>, program: string): SignIn {
  const fix = `Set GEMINI_API_KEY in the environment Corral starts from, or run \`${shellWord(program)}\` in a terminal and sign in with Google.`;
  const variable = setVariables(env, GEMINI_KEY_VARIABLES)[0];
  if (variable) return { state: 'env', source: variable, fix, logins: [] };
  const dir = join(env.HOME?.trim() || homedir(), '.gemini');
  if (existsSync(join(dir, 'oauth_creds.json'))) return { state: 'logged_in', source: `Google login in ${dir}`, fix, logins: [] };
  return { state: 'not_set', source: null, fix, logins: [] };
}

/** What the program of an ACP command line is: `gemini`, `claude-agent-acp`, `codex-acp`, or something else. */
export function acpAgentKind(command: string | undefined): 'gemini' | 'claude' | 'codex' | 'other' | 'none' {
  if (!command?.trim()) return 'none';
  let program: string;
  try {
    program = basename(splitCommandLine(command)[0] ?? '');
  } catch {
    return 'other';
  }
  if (program === 'gemini') return 'gemini';
  if (program === 'claude-agent-acp') return 'claude';
  if (program === 'codex-acp') return 'codex';
  return 'other';
}

/** The sign-in of an agent Corral does not know. */
export function otherAcpSignIn(command: string | undefined): SignIn {
  const fix = command?.trim()
    ? `Sign in the way the agent (\`${command.trim()}\`) documents; it gets the environment Corral starts from.`
    : 'Pick an ACP agent in Settings first.';
  return { state: 'unknown', source: null, fix, logins: [] };
}
