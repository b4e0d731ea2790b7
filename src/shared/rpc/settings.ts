/** RPC domain `settings`. */
import { z } from 'zod';
import { SettingsSchema } from '../settings';

export const settingsRequests = {
  'settings.getAll': { params: z.object({}).strict(), response: SettingsSchema },
  /** Validates `value` against the schema of `key`; errors name the key and the rule broken. */
  'settings.set': {
    params: z.object({ key: z.enum(Object.keys(SettingsSchema.shape) as [keyof typeof SettingsSchema.shape]), value: z.unknown() }).strict(),
    response: SettingsSchema,
  },
};
