/**
 * Which providers can run here, for the Provider picker (`providers.list`):
 * Claude through the Agent SDK's bundled Claude Code, Codex through the
 * bundled (or configured) CLI, Ollama through a reachable server, ACP
 * through the configured agent command.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ACP_PRESETS } from '../../src/shared/providers';
import type { ProviderInfo } from '../../src/shared/rpc/providers';
import type { Settings } from '../../src/shared/settings';
import { bundledClaudeExecutable } from './claude/executable';
import { BUNDLED_BIN_DIR, resolveAgentProgram, splitCommandLine } from './acp/command-line';
import { bundledCodexVersion, resolveCodexBinary } from './codex/binary';
import { ollamaHost, probeOllama } from './ollama/probe';
import { probeSignIns, type StatusCommands } from './sign-in/probe';

const require = createRequire(import.meta.url);

/** How long a `--version` probe of a user-configured binary may take, ms. */
export const VERSION_TIMEOUT_MS = 3000;

/** Version of an installed npm package, or null. */
export function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** First line of `<binary> --version`, or null when it fails or takes longer than {@link VERSION_TIMEOUT_MS}. */
async function versionOf(binary: string, env: Record<string, string | undefined>): Promise<string | null> {
  try {
    const child = Bun.spawn([binary, '--version'], { env: env as Record<string, string>, stdin: 'ignore', stdout: 'pipe', stderr: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), VERSION_TIMEOUT_MS);
    const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    clearTimeout(timer);
    return code === 0 ? out.trim().split('\n')[0]!.slice(0, 64) || null : null;
  } catch {
    return null;
  }
}

function claudeInfo(settings: Settings): ProviderInfo {
  const custom = settings.claude_executable || settings.provider_settings.claude?.executable;
  if (custom) {
    return existsSync(custom)
      ? { id: 'claude', label: 'Claude Code', available: true, version: null, reason: null, models: [] }
      : { id: 'claude', label: 'Claude Code', available: false, version: null, reason: `claude executable not found at ${custom}`, models: [] };
  }
  const sdk = packageVersion('@anthropic-ai/claude-agent-sdk');
  const bundled = bundledClaudeExecutable() !== null;
  if (!sdk) return { id: 'claude', label: 'Claude Code', available: false, version: null, reason: '@anthropic-ai/claude-agent-sdk is not installed (run npm install)', models: [] };
  return bundled
    ? { id: 'claude', label: 'Claude Code', available: true, version: `Agent SDK ${sdk}`, reason: null, models: [] }
    : { id: 'claude', label: 'Claude Code', available: false, version: null, reason: `the Agent SDK has no bundled Claude Code for ${process.platform}-${process.arch}; set a claude executable in Settings`, models: [] };
}

/** Codex: the configured executable, else the bundled CLI (its package version, no process started), else `codex` on PATH. */
export async function codexInfo(settings: Settings, env: Record<string, string | undefined>): Promise<ProviderInfo> {
  const base = { id: 'codex' as const, label: 'Codex', models: [] };
  const executable = settings.provider_settings.codex?.executable;
  const binary = resolveCodexBinary(executable, env);
  if (!binary) {
    const reason = executable ? `Codex executable not found at ${executable}` : 'Codex CLI not found: reinstall Corral\'s packages (npm install) or put `codex` on PATH';
    return { ...base, available: false, version: null, reason };
  }
  const version = binary.source === 'bundled' ? `codex-cli ${bundledCodexVersion()}` : await versionOf(binary.path, env);
  if (!version) return { ...base, available: false, version: null, reason: `${binary.path} --version failed: is it a Codex CLI?` };
  return { ...base, available: true, version, reason: null };
}

/** Ollama: reachable server at the configured host, its version and installed models. */
export async function ollamaInfo(settings: Settings, env: Record<string, string | undefined>): Promise<ProviderInfo> {
  const base = { id: 'ollama' as const, label: 'Ollama' };
  try {
    const probe = await probeOllama(ollamaHost(settings.provider_settings.ollama?.host, env));
    if (probe.models.length === 0) return { ...base, available: false, version: `Ollama ${probe.version}`, reason: 'Ollama has no models installed: pull one with `ollama pull <model>`', models: [] };
    return { ...base, available: true, version: `Ollama ${probe.version}`, reason: null, models: probe.models };
  } catch (e) {
    return { ...base, available: false, version: null, reason: e instanceof Error ? e.message : String(e), models: [] };
  }
}

/** The npm package behind a bundled agent program, for its version without starting it. */
const BUNDLED_AGENT_PACKAGES: Record<string, string> = { gemini: '@google/gemini-cli', 'claude-agent-acp': '@agentclientprotocol/claude-agent-acp' };

/** ACP: the configured agent command's program must be found; every preset says whether it is installed. */
export function acpInfo(settings: Settings, env: Record<string, string | undefined>): ProviderInfo {
  const presets = ACP_PRESETS.map((p) => ({ id: p.id, label: p.label, command: p.command, installed: resolveAgentProgram(p.bin, env) !== null }));
  const base = { id: 'acp' as const, label: 'ACP agent', models: [], presets };
  const command = settings.provider_settings.acp?.command?.trim();
  if (!command) {
    const installed = presets.filter((p) => p.installed).map((p) => p.command);
    const hint = installed.length ? `installed here: ${installed.join(', ')}` : `presets: ${ACP_PRESETS.map((p) => p.command).join(', ')}`;
    return { ...base, available: false, version: null, reason: `No ACP agent command set in Settings (${hint})` };
  }
  let program: string | null = null;
  try {
    program = resolveAgentProgram(splitCommandLine(command)[0] ?? '', env);
  } catch (e) {
    return { ...base, available: false, version: null, reason: e instanceof Error ? e.message : String(e) };
  }
  if (!program) return { ...base, available: false, version: null, reason: `\`${splitCommandLine(command)[0]}\` not found on PATH (command: ${command})` };
  const name = program.startsWith(BUNDLED_BIN_DIR) ? program.slice(BUNDLED_BIN_DIR.length + 1) : undefined;
  const pkg = name ? BUNDLED_AGENT_PACKAGES[name] : undefined;
  const version = pkg ? packageVersion(pkg) : null;
  return { ...base, available: true, version: version ? `${name} ${version}` : null, reason: null };
}

/**
 * Availability and sign-in state of every provider; `commands` answers for
 * the CLIs' status commands in tests. Never throws: a failing probe becomes
 * `available:false` with its reason.
 */
export async function listProviders(settings: Settings, env: Record<string, string | undefined>, commands?: StatusCommands): Promise<ProviderInfo[]> {
  const [codex, ollama, signIns] = await Promise.all([codexInfo(settings, env), ollamaInfo(settings, env), probeSignIns(settings, env, commands)]);
  return [claudeInfo(settings), codex, ollama, acpInfo(settings, env)].map((info) => ({ ...info, signIn: signIns[info.id] }));
}
