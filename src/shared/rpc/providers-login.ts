/** RPC domain `providers`, login part: Corral runs a provider CLI's own login flow and reports its progress. */
import { z } from 'zod';
import { ProviderIdSchema } from '../providers';
import { LoginFlowSchema } from '../sign-in';

const loginId = z.string().min(1).max(64);

/** Where a login flow is: running, or how it ended. */
export const LoginStateSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type LoginState = z.infer<typeof LoginStateSchema>;

/**
 * A login flow's progress, pushed on every change: the CLI's output (ANSI
 * stripped, anything shaped like a key or token masked, the last 40 lines),
 * the sign-in URL and one-time code when it printed them, and how it ended.
 */
export const LoginUpdateSchema = z.object({
  loginId,
  provider: ProviderIdSchema,
  flow: LoginFlowSchema.shape.id,
  state: LoginStateSchema,
  output: z.array(z.string().max(2000)).max(40),
  url: z.string().max(4000).nullable(),
  code: z.string().max(64).nullable(),
  /** Why it failed (exit code, spawn error); null while running or when it succeeded. */
  message: z.string().max(2000).nullable(),
});
export type LoginUpdate = z.infer<typeof LoginUpdateSchema>;

const Ok = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]);

export const providersLoginRequests = {
  /** Starts a login flow (one at a time); its progress arrives as `providers.login` events. */
  'providers.loginStart': {
    params: z.object({ flow: LoginFlowSchema.shape.id }).strict(),
    response: z.union([z.object({ ok: z.literal(true), login: LoginUpdateSchema }), z.object({ ok: z.literal(false), error: z.string() })]),
  },
  /** Sends a line the CLI asked for (Claude's "Paste code here") to the flow's stdin. */
  'providers.loginInput': { params: z.object({ loginId, text: z.string().min(1).max(4000) }).strict(), response: Ok },
  /** Cancels a running flow: its whole process group is killed; resolves once it is gone. */
  'providers.loginCancel': { params: z.object({ loginId }).strict(), response: Ok },
};

export const providersLoginEvents = {
  'providers.login': LoginUpdateSchema,
};
