/**
 * Which providers can run on this machine (`providers.list`), for the
 * provider picker and Settings. For a provider the list does not mention (it
 * has not arrived, could not be fetched, or skips one), only Claude Code is
 * offered: it ships with Corral. It also follows the login flow Corral runs
 * for a provider (`providers.login` updates) and fetches the list again when
 * the flow ends, so the new sign-in state shows at once.
 */
import type { ProviderId } from '../../shared/providers';
import type { ProviderInfo } from '../../shared/rpc/providers';
import type { LoginUpdate } from '../../shared/rpc/providers-login';
import type { LoginFlow } from '../../shared/sign-in';
import type { Settings } from '../../shared/settings';
import type { RpcClient } from '../rpc/types';

/** Offered before `providers.list` answers. */
const FALLBACK_AVAILABLE: ReadonlySet<ProviderId> = new Set(['claude']);

/** The providers store's public face. */
export interface ProvidersStore {
  readonly list: readonly ProviderInfo[];
  /** `providers.list` answered at least once. */
  readonly loaded: boolean;
  /** A `providers.list` request is in flight. */
  readonly loading: boolean;
  /** The last fetch failed: its message, until one succeeds. */
  readonly error: string | null;
  /** Fetches availability; a failure keeps the previous list and sets {@link error}. */
  load(): Promise<void>;
  /** The provider's entry in the list, if it has one. */
  info(id: ProviderId): ProviderInfo | undefined;
  /** True when the provider can start a session here. */
  available(id: ProviderId): boolean;
  /** Why a provider is unavailable, when known. */
  reason(id: ProviderId): string | null;
  /**
   * Call after every settings load or save: fetches again when the provider
   * settings changed (a new Ollama host, another ACP command, a claude executable), since
   * availability depends on them. The first call only records them.
   */
  settingsChanged(values: Settings): void;
  /** The login flow Corral runs (running, or how it ended), until {@link dismissLogin}. */
  readonly login: LoginUpdate | null;
  /** Why the last login request failed, until the next one. */
  readonly loginError: string | null;
  /** Starts a provider CLI's login flow; when it ends, availability and sign-in are fetched again. */
  startLogin(flow: LoginFlow['id']): Promise<void>;
  /** Sends what the CLI asked for (Claude's code) to the running flow. */
  sendLoginInput(text: string): Promise<void>;
  /** Cancels the running flow. */
  cancelLogin(): Promise<void>;
  /** Forgets a finished flow. */
  dismissLogin(): void;
  /** Stops listening for login updates. */
  dispose(): void;
}

/** Creates the store; nothing is fetched until {@link ProvidersStore.load}. */
export function createProvidersStore(deps: { rpc: RpcClient }): ProvidersStore {
  let list = $state.raw<ProviderInfo[]>([]);
  let loaded = $state(false);
  let inFlight = $state(0);
  let error = $state<string | null>(null);
  let requestSeq = 0;
  let seenSettings: string | null = null;
  let login = $state.raw<LoginUpdate | null>(null);
  let loginError = $state<string | null>(null);
  const find = (id: ProviderId) => list.find((p) => p.id === id);

  function applyLogin(update: LoginUpdate) {
    // Updates of an older flow than the one shown are stale.
    if (login && login.loginId !== update.loginId && login.state === 'running' && update.state !== 'running') return;
    const ended = update.state !== 'running' && login?.state !== update.state;
    login = update;
    if (ended) void load();
  }
  const offLogin = deps.rpc.on('providers.login', applyLogin);

  async function loginRequest(run: () => Promise<{ ok: true } | { ok: false; error: string }>) {
    loginError = null;
    try {
      const res = await run();
      if (!res.ok) loginError = res.error;
    } catch (err) {
      loginError = err instanceof Error ? err.message : String(err);
    }
  }

  async function load() {
    // A refresh after a settings change may overtake an older request; only the newest answer counts.
    const seq = ++requestSeq;
    inFlight++;
    try {
      const next = await deps.rpc.request('providers.list', {});
      if (seq !== requestSeq) return;
      list = next;
      loaded = true;
      error = null;
    } catch (err) {
      if (seq !== requestSeq) return;
      error = err instanceof Error ? err.message : String(err);
      console.warn(`providers.list failed: ${error}`);
    } finally {
      inFlight--;
    }
  }

  return {
    get list() {
      return list;
    },
    get loaded() {
      return loaded;
    },
    get loading() {
      return inFlight > 0;
    },
    get error() {
      return error;
    },
    load,
    info: find,
    available: (id) => find(id)?.available ?? FALLBACK_AVAILABLE.has(id),
    reason: (id) => find(id)?.reason ?? null,
    get login() {
      return login;
    },
    get loginError() {
      return loginError;
    },
    startLogin: (flow) =>
      loginRequest(async () => {
        const res = await deps.rpc.request('providers.loginStart', { flow });
        if (res.ok) applyLogin(res.login);
        return res;
      }),
    sendLoginInput: (text) => loginRequest(async () => (login ? deps.rpc.request('providers.loginInput', { loginId: login.loginId, text }) : { ok: false, error: 'No login is running' })),
    cancelLogin: () => loginRequest(async () => (login ? deps.rpc.request('providers.loginCancel', { loginId: login.loginId }) : { ok: true })),
    dismissLogin() {
      if (login?.state !== 'running') login = null;
      loginError = null;
    },
    dispose: offLogin,
    settingsChanged(values) {
      const key = JSON.stringify([values.provider_settings ?? {}, values.claude_executable ?? '']);
      const first = seenSettings === null;
      if (key === seenSettings) return;
      seenSettings = key;
      if (!first) void load();
    },
  };
}
