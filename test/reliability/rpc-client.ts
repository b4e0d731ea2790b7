/**
 * A headless Corral client for the reliability suite: the same WebSocket RPC
 * the UI uses, plus the UI's persistence duty (asking the main process to
 * persist through the newest seqId with `session.persist` on the debounce
 * window), so the main process sees a normal client.
 */
import type { WireMessage } from '../../src/shared/events';
import type { EventName, EventPayload, Params, RequestName, Response } from '../../src/shared/rpc';
import { rpcProtocols } from '../../src/shared/web-auth';

export type Client = {
  request<M extends RequestName>(method: M, params: Params<M>): Promise<Response<M>>;
  /** Every agent.message / agent.status / agent.cost received, in order. */
  events: { event: EventName; payload: unknown; at: number }[];
  /** seqIds received per session. */
  seen: Map<string, WireMessage[]>;
  waitFor(match: (e: { event: EventName; payload: any; at: number }) => boolean, timeoutMs?: number): Promise<{ event: EventName; payload: any; at: number }>;
  /** Saves what it received since the last save, like the UI's debounced persistence. */
  save(): Promise<void>;
  close(): void;
};

/** Connects to a running web mode given its printed URL. `autoSaveMs` > 0 saves on that interval. */
export async function connect(url: string, autoSaveMs = 0): Promise<Client> {
  // As the page does: the token only in the handshake's subprotocols, and the server's own Origin.
  const page = new URL(url);
  const ws = new WebSocket(`ws://${page.host}/rpc`, { protocols: rpcProtocols(page.searchParams.get('token') ?? ''), headers: { origin: page.origin } } as never);
  await new Promise<void>((resolve, reject) => { ws.onopen = () => resolve(); ws.onerror = () => reject(new Error(`cannot connect to ${url}`)); });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const events: Client['events'] = [];
  const seen = new Map<string, WireMessage[]>();
  const unsaved = new Map<string, WireMessage[]>();
  const waiters: { match: (e: any) => boolean; resolve: (e: any) => void }[] = [];
  ws.onmessage = (m) => {
    const packet = JSON.parse(String(m.data));
    if (packet.type === 'response') {
      const p = pending.get(packet.id);
      pending.delete(packet.id);
      if (packet.success) p?.resolve(packet.payload);
      else p?.reject(new Error(packet.error));
      return;
    }
    if (packet.type !== 'message') return;
    const e = { event: packet.id as EventName, payload: packet.payload, at: Date.now() };
    events.push(e);
    if (e.event === 'agent.message') {
      const { sessionId, messages } = packet.payload as EventPayload<'agent.message'>;
      (seen.get(sessionId) ?? seen.set(sessionId, []).get(sessionId)!).push(...messages);
      (unsaved.get(sessionId) ?? unsaved.set(sessionId, []).get(sessionId)!).push(...messages);
    }
    for (const w of [...waiters]) if (w.match(e)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(e); }
  };
  const request = <M extends RequestName>(method: M, params: Params<M>) => new Promise<Response<M>>((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ type: 'request', id, method, params }));
  });
  const save = async () => {
    for (const [sessionId, messages] of unsaved) {
      if (!messages.length) continue;
      const batch = messages.splice(0, messages.length);
      const throughSeqId = batch.reduce((max, m) => Math.max(max, m.seqId), -1);
      await request('session.persist', { sessionId, throughSeqId }).catch(() => messages.unshift(...batch));
    }
  };
  const timer = autoSaveMs > 0 ? setInterval(() => void save(), autoSaveMs) : null;
  return {
    request, events, seen, save,
    waitFor(match, timeoutMs = 60_000) {
      const hit = events.find(match);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
        waiters.push({ match, resolve: (e) => { clearTimeout(t); resolve(e); } });
      });
    },
    close() { if (timer) clearInterval(timer); ws.close(); },
  };
}
