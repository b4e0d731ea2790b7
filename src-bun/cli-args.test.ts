import { describe, expect, it } from 'bun:test';
import { defaultDataDir, parseWebArgs } from './cli-args';

describe('web flags', () => {
  it('defaults to loopback, any port, the app data folder, and opening a browser', () => {
    expect(parseWebArgs([], { XDG_DATA_HOME: '/xdg' })).toEqual({ host: '127.0.0.1', port: 0, dataDir: '/xdg/corral', open: true });
  });
  it('reads --host, --port, --data-dir and --no-open, in both spellings', () => {
    expect(parseWebArgs(['--host', '0.0.0.0', '--port=8123', '--data-dir', '/tmp/d', '--no-open'])).toEqual({ host: '0.0.0.0', port: 8123, dataDir: '/tmp/d', open: false });
  });
  it('rejects unknown flags and bad ports with a message naming them', () => {
    expect(() => parseWebArgs(['--prot', '1'])).toThrow('Unknown flag --prot');
    expect(() => parseWebArgs(['--port', '70000'])).toThrow('--port must be an integer from 0 to 65535, got 70000');
    expect(() => parseWebArgs(['--port'])).toThrow('--port needs a value');
  });
  it('knows each platform\'s app data folder', () => {
    expect(defaultDataDir({}, 'darwin')).toContain('Library/Application Support/Corral');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32')).toContain('Corral');
  });
});
