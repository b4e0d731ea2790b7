/**
 * How each provider is signed in, as `providers.list` reports it, and what
 * an auth error tells the user to do. Only the state and where it came from
 * ever travel: never a key, a token or a masked fragment of one.
 */
import { z } from 'zod';

/**
 * - `logged_in`: the CLI holds a login of its own (Claude subscription, `codex login`, Gemini OAuth);
 * - `env`: a key or token comes from an environment variable (or a configured model provider's key);
 * - `not_set`: nothing the provider could authenticate with was found;
 * - `not_needed`: the provider needs no sign-in (Ollama);
 * - `unknown`: Corral cannot tell (a custom ACP agent, a CLI that did not answer).
 */
export const SIGN_IN_STATES = ['logged_in', 'env', 'not_set', 'not_needed', 'unknown'] as const;
export const SignInStateSchema = z.enum(SIGN_IN_STATES);
export type SignInState = z.infer<typeof SignInStateSchema>;

/** A login flow Corral can run for the user (the CLI's own, started without a shell). */
export const LoginFlowSchema = z.object({
  /** Passed back to `providers.login`. */
  id: z.enum(['claude', 'codex', 'codex-device']),
  /** Button text: "Log in with Claude". */
  label: z.string().max(200),
  /** The command as the user would type it, absolute path included (shown, never run through a shell). */
  command: z.string().max(4096),
  /** The CLI asks for a code to be pasted back (Claude's "Paste code here"). */
  acceptsCode: z.boolean(),
});
export type LoginFlow = z.infer<typeof LoginFlowSchema>;

/** One provider's sign-in state. */
export const SignInSchema = z.object({
  state: SignInStateSchema,
  /**
   * Where the state comes from, naming never the secret: "ANTHROPIC_API_KEY",
   * "Claude subscription (pro), stored in /home/u/.claude", "ChatGPT login in /home/u/.codex/auth.json".
   */
  source: z.string().max(1000).nullable(),
  /**
   * How to sign in from a terminal: the command with the absolute path of the
   * CLI Corral runs, or the variable to set, e.g.
   * "Run `/…/claude auth login` in a terminal, or set ANTHROPIC_API_KEY in the environment Corral starts from."
   */
  fix: z.string().max(4000),
  /** Login flows Corral can start itself. */
  logins: z.array(LoginFlowSchema).max(4),
});
export type SignIn = z.infer<typeof SignInSchema>;

export { fatalErrorFix, SIGN_IN_LABELS, signInSummary } from './sign-in-text';
