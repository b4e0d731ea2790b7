import { describe, expect, it } from 'bun:test';
import { ExtraEnvSchema } from '../../src/shared/providers';
import { buildSidecarEnv } from './sidecar-env';

const RUNTIME_KEYS = ['PATH', 'HOME', 'NODE_OPTIONS', 'path', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'BUN_INSTALL', 'bun_config_verbose_fetch'];

describe('sidecar environment', () => {
  it('drops nested-session markers and adds allowed extra keys', () => {
    const env = buildSidecarEnv({ PATH: '/bin', CLAUDECODE: '1', UNSET: undefined }, { MY_FLAG: 'on' });
    expect(env).toEqual({ PATH: '/bin', MY_FLAG: 'on' });
  });

  it('refuses extra keys that change how the sidecar itself runs, naming the key', () => {
    for (const key of RUNTIME_KEYS) {
      expect(() => buildSidecarEnv({ PATH: '/bin' }, { [key]: 'x' })).toThrow(`extraEnv key ${key} is not allowed`);
    }
  });

  it('refuses the same keys at the schema, with a message naming the key and why', () => {
    for (const key of RUNTIME_KEYS) {
      const res = ExtraEnvSchema.safeParse({ [key]: 'x' });
      expect(res.success).toBe(false);
      expect(res.error?.issues[0].message).toMatch(new RegExp(`^extraEnv key ${key} is not allowed: .*change.* how the sidecar itself runs$`));
    }
    expect(ExtraEnvSchema.safeParse({ LD: 'x', MY_PATH: 'x', HOMEPAGE: 'x', NODE_ENV: 'test' }).success).toBe(true);
  });
});
