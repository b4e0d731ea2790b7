/** RPC domain `providers`: which agent providers can run on this machine. */
import { z } from 'zod';
import { ProviderIdSchema } from '../providers';
import { SignInSchema } from '../sign-in';

/** One provider's availability: binary found and its version, or server reachable; `reason` says why not. */
export const ProviderInfoSchema = z.object({
  id: ProviderIdSchema,
  label: z.string(),
  available: z.boolean(),
  version: z.string().nullable(),
  reason: z.string().nullable(),
  /** Models the provider offers, where it can list them (Ollama `/api/tags`). */
  models: z.array(z.string()),
  /** ACP only: the preset agent commands and whether each one's program is installed here. */
  presets: z.array(z.object({ id: z.string(), label: z.string(), command: z.string(), installed: z.boolean() })).optional(),
  /** How the provider is signed in (logged in, key from the environment, not set), and how to sign in. */
  signIn: SignInSchema.optional(),
});
export type ProviderInfo = z.infer<typeof ProviderInfoSchema>;

export const providersRequests = {
  'providers.list': { params: z.object({}).strict(), response: z.array(ProviderInfoSchema) },
};
