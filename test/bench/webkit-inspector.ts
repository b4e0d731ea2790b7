/**
 * A minimal client of WebKitGTK's remote inspector, to run JavaScript inside
 * the desktop window and read its own clock.
 *
 * `WEBKIT_INSPECTOR_HTTP_SERVER=127.0.0.1:<port>` in a WebKitGTK process's
 * environment makes its web views inspectable: `http://127.0.0.1:<port>/`
 * lists them as an HTML page whose Inspect buttons open
 * `/socket/<connection>/<target>/WebPage`, a WebSocket that speaks the WebKit
 * Inspector Protocol (JSON messages `{id, method, params}`, answered by
 * `{id, result}` or `{id, error}`). The socket is the page's backend: it
 * announces the page's own target with `Target.targetCreated`, and messages
 * for the page go through `Target.sendMessageToTarget` and come back in
 * `Target.dispatchMessageFromTarget`. Source: WebKit's
 * Source/JavaScriptCore/inspector/protocol/{Target,Runtime}.json.
 */

/** The page of one inspectable web view. */
export type WebKitPage = {
  /**
   * Evaluates `expression` in the page (as the body of an async function's
   * `return`, so a promise is awaited) and resolves with its value, copied as
   * JSON. Rejects with the page's exception text when it throws.
   */
  evaluate<T>(expression: string): Promise<T>;
  /** Sends a protocol command to the page; resolves with its result, rejects with its error. */
  call(method: string, params?: Record<string, unknown>): Promise<Record<string, any>>;
  /** Calls `listener` with the params of each `method` event the page sends. */
  on(method: string, listener: (params: Record<string, any>) => void): void;
  close(): void;
};

/**
 * Connects to the first inspectable web view whose title is `title` on the
 * inspector's HTTP server at `port`. Retries until `timeoutMs` (the server
 * comes up with the window); throws when no such view shows by then.
 */
export async function connectWebKitPage(port: number, title: string, timeoutMs = 20_000): Promise<WebKitPage> {
  const deadline = Date.now() + timeoutMs;
  let socketPath: string | null = null;
  let last = '';
  while (!socketPath) {
    try {
      const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      const row = html.split('<tr>').find((r) => r.includes(`class="targetname">${title}<`));
      socketPath = /\/socket\/\d+\/\d+\/WebPage/.exec(row ?? '')?.[0] ?? null;
      last = socketPath ? '' : `no view titled ${title} in ${html.length} bytes of the target list`;
    } catch (e) {
      last = String(e);
    }
    if (!socketPath) {
      if (Date.now() > deadline) throw new Error(`WebKit's remote inspector on port ${port} did not list the window: ${last}`);
      await Bun.sleep(200);
    }
  }

  const ws = new WebSocket(`ws://127.0.0.1:${port}${socketPath}`);
  let targetId: string | null = null;
  let nextId = 1;
  const waiting = new Map<number, { resolve(v: Record<string, unknown>): void; reject(e: Error): void }>();
  const targetReady = Promise.withResolvers<void>();
  const listeners = new Map<string, ((params: Record<string, any>) => void)[]>();
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as { method?: string; params?: Record<string, any>; id?: number; result?: Record<string, unknown>; error?: { message: string } };
    if (m.method === 'Target.targetCreated' && m.params?.targetInfo?.type === 'page') {
      targetId = m.params.targetInfo.targetId as string;
      targetReady.resolve();
      return;
    }
    const inner = m.method === 'Target.dispatchMessageFromTarget' ? JSON.parse(m.params!.message as string) as typeof m : null;
    if (inner?.method) for (const l of listeners.get(inner.method) ?? []) l(inner.params ?? {});
    if (!inner?.id) return;
    const w = waiting.get(inner.id);
    waiting.delete(inner.id);
    if (inner.error) w?.reject(new Error(`inspector: ${inner.error.message}`));
    else w?.resolve(inner.result ?? {});
  };
  ws.onclose = () => {
    for (const w of waiting.values()) w.reject(new Error('the inspector socket closed'));
    waiting.clear();
  };
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`could not open the inspector socket ${socketPath}`));
  });
  await Promise.race([targetReady.promise, Bun.sleep(Math.max(0, deadline - Date.now())).then(() => {
    throw new Error('the inspector announced no page target');
  })]);

  const call = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, any>> => {
    const id = nextId++;
    const p = new Promise<Record<string, any>>((resolve, reject) => waiting.set(id, { resolve, reject }));
    ws.send(JSON.stringify({ id: nextId++, method: 'Target.sendMessageToTarget', params: { targetId, message: JSON.stringify({ id, method, params }) } }));
    return p;
  };
  const thrown = (r: Record<string, any>) => new Error(`the page threw: ${r.result?.description ?? JSON.stringify(r.result)}`);

  return {
    async evaluate<T>(expression: string): Promise<T> {
      const started = await call('Runtime.evaluate', { expression: `(async () => { return (${expression}); })()`, returnByValue: false });
      if (started.wasThrown) throw thrown(started);
      const done = await call('Runtime.awaitPromise', { promiseObjectId: started.result.objectId, returnByValue: true });
      if (done.wasThrown) throw thrown(done);
      return done.result.value as T;
    },
    call,
    on: (method, listener) => void listeners.set(method, [...(listeners.get(method) ?? []), listener]),
    close: () => ws.close(),
  };
}
