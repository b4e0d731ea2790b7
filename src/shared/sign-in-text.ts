/**
 * How sign-in states read in the UI, as plain values and functions (the
 * schemas are in sign-in.ts, which re-exports this).
 */
import type { FatalKind } from './events';
import type { ProviderId } from './provider-ids';
import type { SignIn, SignInState } from './sign-in';

/** Display text of each state, for the picker and Settings. */
export const SIGN_IN_LABELS: Record<SignInState, string> = {
  logged_in: 'logged in',
  env: 'key from the environment',
  not_set: 'not signed in',
  not_needed: 'no sign-in needed',
  unknown: 'sign-in unknown',
};

/** One line on a provider's sign-in: "Signed in: key from the environment (ANTHROPIC_API_KEY)". */
export function signInSummary(signIn: SignIn): string {
  const label = SIGN_IN_LABELS[signIn.state];
  const head = signIn.state === 'not_set' ? 'Not signed in' : `Sign-in: ${label}`;
  return signIn.source ? `${head} (${signIn.source})` : head;
}

const PROVIDER_NAMES: Record<ProviderId, string> = { claude: 'Claude Code', codex: 'Codex', ollama: 'Ollama', acp: 'The ACP agent' };

/**
 * What a fatal provider error tells the user to do, or null when Corral has
 * nothing better than the error itself. `auth` gets the provider's own fix
 * (`signIn.fix`: the command with the CLI's path, or the variable to set);
 * without a `providers.list` answer, a generic one.
 */
export function fatalErrorFix(kind: FatalKind | null | undefined, provider: ProviderId, signIn: SignIn | undefined): string | null {
  if (kind !== 'auth') return null;
  const name = PROVIDER_NAMES[provider];
  if (!signIn) return `${name} could not sign in. Check its login or API key, or pick another provider.`;
  return `${name} could not sign in. ${signIn.fix}`;
}
