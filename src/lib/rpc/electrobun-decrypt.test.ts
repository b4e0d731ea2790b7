// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { base64Decoder, decodeBase64, installFastDecrypt, type ElectrobunCryptoHost } from './electrobun-decrypt';

type PreloadWindow = ElectrobunCryptoHost & { crypto: Crypto; __electrobun_encrypt?: (text: string) => Promise<{ encryptedData: string; iv: string; tag: string }> };

/** A window where Electrobun's own preload encryption (the one the desktop window runs) has set itself up. */
async function electrobunWindow(keyBytes: number[]): Promise<PreloadWindow> {
  const win: PreloadWindow = { crypto: globalThis.crypto, __electrobunSecretKeyBytes: keyBytes };
  (globalThis as { window?: unknown }).window = win;
  const { initEncryption } = await import('../../../node_modules/electrobun/dist/api/bun/preload/encryption');
  await initEncryption();
  return win;
}

const key = Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

describe('the desktop window’s decrypt of Electrobun RPC packets', () => {
  it('decodes base64 as atob does, with and without padding, and rejects what atob rejects', () => {
    for (const len of [0, 1, 2, 3, 4, 5, 31, 32, 33, 1000]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 97 + len) & 0xff);
      const b64 = Buffer.from(bytes).toString('base64');
      expect(decodeBase64(b64)).toEqual(bytes);
      expect(decodeBase64(b64.replace(/=+$/, ''))).toEqual(bytes);
    }
    expect(() => decodeBase64('ab$d')).toThrow('not base64: "$" at 2');
    expect(() => atob('ab$d')).toThrow();
  });

  it('decrypts what Electrobun’s preload encrypts with the window’s key, text for text, and stays installed when the preload assigns its own', async () => {
    const win = await electrobunWindow(key);
    const theirs = win.__electrobun_decrypt!;
    expect(installFastDecrypt(win)).toBe(true);
    const ours = win.__electrobun_decrypt!;
    expect(ours).not.toBe(theirs);
    const texts = ['', 'plain', JSON.stringify({ type: 'message', id: 'agent.message', payload: { messages: Array.from({ length: 500 }, (_, i) => ({ seqId: i, text: `line ${i} ü ✓ 🐎` })) } })];
    for (const text of texts) {
      const packet = await win.__electrobun_encrypt!(text);
      expect(await ours(packet.encryptedData, packet.iv, packet.tag)).toBe(text);
      expect(await theirs(packet.encryptedData, packet.iv, packet.tag)).toBe(text);
    }
    // The preload's later assignment (its key import settled after ours) does not put the slow one back.
    win.__electrobun_decrypt = theirs;
    expect(win.__electrobun_decrypt).toBe(ours);
  });

  it('refuses a packet whose tag does not match, as the preload’s does', async () => {
    const win = await electrobunWindow(key);
    installFastDecrypt(win);
    const packet = await win.__electrobun_encrypt!('secret');
    const badTag = Buffer.from(decodeBase64(packet.tag).map((b) => b ^ 1)).toString('base64');
    await expect(win.__electrobun_decrypt!(packet.encryptedData, packet.iv, badTag)).rejects.toThrow();
  });

  it('decodes with the engine’s Uint8Array.fromBase64 where it has one (WebKit does), else with its own', async () => {
    expect(base64Decoder({})).toBe(decodeBase64);
    const decoded: string[] = [];
    const engine = { fromBase64(b64: string) { decoded.push(b64); return new Uint8Array(Buffer.from(b64, 'base64')); } };
    const decode = base64Decoder(engine);
    expect(decode('aGk=')).toEqual(new Uint8Array([104, 105]));
    expect(decoded).toEqual(['aGk=']);
    // The decrypt goes through it: three fields per packet.
    const win = await electrobunWindow(key);
    installFastDecrypt(win, crypto.subtle, decode);
    const packet = await win.__electrobun_encrypt!('through the engine');
    expect(await win.__electrobun_decrypt!(packet.encryptedData, packet.iv, packet.tag)).toBe('through the engine');
    expect(decoded.slice(1)).toEqual([packet.encryptedData, packet.tag, packet.iv]);
  });

  it('settles decrypts in the order they were called, even when WebCrypto finishes a later one first; a failed one holds nothing up', async () => {
    const win = await electrobunWindow(key);
    const packets = await Promise.all(['first, the large one', 'second', 'third'].map((t) => win.__electrobun_encrypt!(t)));
    // A WebCrypto whose decrypts finish in the reverse order of their calls.
    const pending: (() => void)[] = [];
    const real = globalThis.crypto.subtle;
    const slow = {
      importKey: real.importKey.bind(real),
      decrypt: (...args: Parameters<SubtleCrypto['decrypt']>) => new Promise<ArrayBuffer>((resolve, reject) => pending.push(() => void real.decrypt(...args).then(resolve, reject))),
    } as unknown as SubtleCrypto;
    installFastDecrypt(win, slow);
    const order: string[] = [];
    const call = (p: { encryptedData: string; iv: string; tag: string }, name?: string) =>
      win.__electrobun_decrypt!(p.encryptedData, p.iv, p.tag).then((t) => order.push(name ? `${name} accepted` : t), () => order.push(`${name} refused`));
    const badTag = Buffer.from(decodeBase64(packets[0]!.tag).map((b) => b ^ 1)).toString('base64');
    // Called in this order: the first packet, one with a wrong tag, the second, the third.
    const handled = [call(packets[0]!), call({ ...packets[0]!, tag: badTag }, 'bad'), call(packets[1]!), call(packets[2]!)];
    while (pending.length < 4) await new Promise((r) => setTimeout(r, 1));
    for (const finish of [...pending].reverse()) finish();
    await Promise.all(handled);
    expect(order).toEqual(['first, the large one', 'bad refused', 'second', 'third']);
  });

  it('changes nothing in a window without an Electrobun key', () => {
    const win: ElectrobunCryptoHost = {};
    expect(installFastDecrypt(win)).toBe(false);
    expect('__electrobun_decrypt' in win).toBe(false);
  });
});
