/**
 * The desktop window's decrypt for Electrobun's RPC socket, without its cost.
 *
 * Every message from the main process reaches the window over Electrobun's
 * socket as `{encryptedData, iv, tag}`: AES-GCM with a per-webview key, each
 * part in base64 (Electrobun 1.18.1, dist/api/bun/core/Socket.ts). The
 * window decrypts it with `window.__electrobun_decrypt`, which Electrobun's
 * preload defines (dist/api/bun/preload/encryption.ts) and which turns the
 * base64 into bytes with `atob(b64).split('').map(c => c.charCodeAt(0))`: a
 * JavaScript array of one string per byte. A firehose of 50,000 tool calls is
 * about 20 MB of base64, and that decode was most of the web process's CPU
 * (5.4 s for one run, against 1.2 s for the whole of Chromium in web mode).
 *
 * {@link installFastDecrypt} puts a decrypt that decodes base64 straight into
 * a `Uint8Array` (with the engine's own decoder where it has one) in its place. It uses the same key (the preload leaves it at
 * `window.__electrobunSecretKeyBytes`) and the same WebCrypto AES-GCM, so it
 * accepts exactly what the preload's accepts and returns the same text.
 */

/** The window globals Electrobun's preload defines, as far as this uses them. */
export type ElectrobunCryptoHost = {
  __electrobunSecretKeyBytes?: number[];
  __electrobun_decrypt?: (encryptedData: string, iv: string, tag: string) => Promise<string>;
};

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/**
 * The bytes of standard base64 (RFC 4648 section 4, `=` padding optional).
 * Throws on a character outside the alphabet, as `atob` does.
 */
export function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  let end = b64.length;
  while (end > 0 && b64.charCodeAt(end - 1) === 61 /* = */) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = b64.charCodeAt(i);
    const v = c < 128 ? VALUE[c]! : -1;
    if (v < 0) throw new Error(`not base64: ${JSON.stringify(b64[i])} at ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/**
 * The engine's own base64 decoder when it has one (`Uint8Array.fromBase64`,
 * TC39's ArrayBuffer base64 proposal: WebKitGTK's JavaScriptCore has it, and
 * decodes a 100 KB packet about 7 times faster than {@link decodeBase64}),
 * else {@link decodeBase64}. Both throw on a character outside the alphabet.
 */
export function base64Decoder(ctor: { fromBase64?: (b64: string) => Uint8Array<ArrayBuffer> } = Uint8Array as never): (b64: string) => Uint8Array<ArrayBuffer> {
  const native = ctor.fromBase64;
  return typeof native === 'function' ? (b64) => native.call(ctor, b64) : decodeBase64;
}

/**
 * Replaces `win.__electrobun_decrypt` with the fast one, for good: the
 * preload defines its own once its key import settles, which may be after
 * this runs, so the property keeps returning this one. Its decrypts settle in
 * the order they were called; one that fails rejects without holding up the
 * next. Returns false, and
 * changes nothing, when the window has no Electrobun key (not a desktop
 * window, or an Electrobun that keeps it elsewhere).
 */
export function installFastDecrypt(win: ElectrobunCryptoHost, subtle: SubtleCrypto = crypto.subtle, decodeBase64 = base64Decoder()): boolean {
  const raw = win.__electrobunSecretKeyBytes;
  if (!Array.isArray(raw) || raw.length === 0) return false;
  const key = subtle.importKey('raw', new Uint8Array(raw), { name: 'AES-GCM' }, false, ['decrypt']);
  const decoder = new TextDecoder();
  const open = async (encryptedData: string, iv: string, tag: string): Promise<string> => {
    const data = decodeBase64(encryptedData);
    const tagBytes = decodeBase64(tag);
    // WebCrypto takes the tag after the ciphertext.
    const sealed = new Uint8Array(data.length + tagBytes.length);
    sealed.set(data);
    sealed.set(tagBytes, data.length);
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv: decodeBase64(iv) }, await key, sealed);
    return decoder.decode(plain);
  };
  // Electrobun hands each packet to the RPC when its decrypt settles. WebCrypto does not promise that decrypts
  // settle in the order they started, so each one settles only after the one before it: the view gets the
  // packets in the order the main process sent them (a status never overtakes the messages before it).
  let previous: Promise<unknown> = Promise.resolve();
  const decrypt = (encryptedData: string, iv: string, tag: string): Promise<string> => {
    const text = open(encryptedData, iv, tag);
    // Its failure is the caller's, through `inOrder`; while it waits for the one before, it is not unhandled.
    text.catch(() => {});
    const inOrder = previous.then(() => text, () => text);
    previous = inOrder.catch(() => undefined);
    return inOrder;
  };
  Object.defineProperty(win, '__electrobun_decrypt', {
    configurable: true,
    get: () => decrypt,
    // The preload's own, assigned later: it decrypts the same packets with the same key, only slower.
    set: () => {},
  });
  return true;
}
