/**
 * Command-line flags of the web mode (`npm run web -- …`) and `npm start`:
 *   --host H       bind address (default 127.0.0.1; anything else warns)
 *   --port N       TCP port, 0 = any free port (default 0)
 *   --data-dir D   where corral.db lives (default: the per-user app data folder)
 *   --no-open      do not open a browser
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type WebArgs = { host: string; port: number; dataDir: string; open: boolean };

/** Parses `argv` (without the runtime and script). Throws an Error naming the bad flag. */
export function parseWebArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): WebArgs {
  const args: WebArgs = { host: '127.0.0.1', port: 0, dataDir: defaultDataDir(env), open: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.startsWith('--') && flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--host': args.host = value(); break;
      case '--port': {
        const v = value();
        const port = Number(v);
        if (!/^\d+$/.test(v) || port > 65535) throw new Error(`--port must be an integer from 0 to 65535, got ${v}`);
        args.port = port;
        break;
      }
      case '--data-dir': args.dataDir = resolve(value()); break;
      case '--no-open': args.open = false; break;
      default: throw new Error(`Unknown flag ${flag}. Flags: --host H, --port N, --data-dir DIR, --no-open`);
    }
  }
  return args;
}

/** The per-user app data folder: XDG on Linux, Application Support on macOS, %APPDATA% on Windows. */
export function defaultDataDir(env: Record<string, string | undefined> = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Corral');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Corral');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'corral');
}
