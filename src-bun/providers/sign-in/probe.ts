/**
 * Every provider's sign-in state for `providers.list`: Claude Code and Codex
 * ask their CLI (in parallel, each bounded by STATUS_TIMEOUT_MS), Gemini CLI
 * and the other ACP agents are read from the environment and their files,
 * Ollama needs no sign-in. Never throws; never returns a secret.
 */
import type { ProviderId } from '../../../src/shared/providers';
import type { Settings } from '../../../src/shared/settings';
import type { SignIn } from '../../../src/shared/sign-in';
import { resolveAgentProgram, splitCommandLine } from '../acp/command-line';
import { claudeExecutable } from '../claude/executable';
import { resolveCodexBinary } from '../codex/binary';
import { ollamaHost } from '../ollama/probe';
import { acpAgentKind, geminiSignIn, otherAcpSignIn } from './acp';
import { claudeAuthStatus, claudeSignIn, type ClaudeAuthStatus } from './claude';
import { codexLoginStatus, codexSignIn, type CodexLoginStatus } from './codex';

/** The CLI status commands, injectable so tests can answer for them. */
export type StatusCommands = {
  claude(cli: string, env: Record<string, string | undefined>): Promise<ClaudeAuthStatus | null>;
  codex(binary: string, env: Record<string, string | undefined>): Promise<CodexLoginStatus | null>;
};

const REAL_COMMANDS: StatusCommands = { claude: claudeAuthStatus, codex: codexLoginStatus };

/** Sign-in of every provider, keyed by provider id. */
export async function probeSignIns(settings: Settings, env: Record<string, string | undefined>, commands: StatusCommands = REAL_COMMANDS): Promise<Record<ProviderId, SignIn>> {
  const cli = claudeExecutable(settings);
  const codex = resolveCodexBinary(settings.provider_settings.codex?.executable, env)?.path ?? null;
  const [claudeStatus, codexStatus] = await Promise.all([
    cli ? commands.claude(cli, env).catch(() => null) : null,
    codex ? commands.codex(codex, env).catch(() => null) : null,
  ]);
  const claude = claudeSignIn(env, cli, claudeStatus);
  const codexState = codexSignIn(env, codex, codexStatus);
  const host = ollamaHost(settings.provider_settings.ollama?.host, env);
  const ollama: SignIn = { state: 'not_needed', source: `Ollama server at ${host}`, fix: `Start Ollama (\`ollama serve\`) or set its host in Settings.`, logins: [] };
  return { claude, codex: codexState, ollama, acp: acpSignIn(settings.provider_settings.acp?.command, env, claude, codexState) };
}

/** The configured ACP agent's sign-in; the Claude and Codex adapters sign in like their CLIs. */
function acpSignIn(command: string | undefined, env: Record<string, string | undefined>, claude: SignIn, codex: SignIn): SignIn {
  switch (acpAgentKind(command)) {
    case 'gemini': {
      const program = resolveAgentProgram(splitCommandLine(command!)[0]!, env);
      return program ? geminiSignIn(env, program) : otherAcpSignIn(command);
    }
    case 'claude':
      return claude;
    case 'codex':
      return codex;
    default:
      return otherAcpSignIn(command);
  }
}
