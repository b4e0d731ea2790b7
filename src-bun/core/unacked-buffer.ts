/**
 * Events the main process has sent to the UI but not yet seen acknowledged
 * as saved. They are written by the main process itself on quit, on a
 * signal, or while no UI is attached, so a closed tab loses nothing.
 */
import type { WireMessage } from '../../src/shared/events';

export class UnackedBuffer {
  #bySession = new Map<string, WireMessage[]>();

  push(sessionId: string, message: WireMessage): void {
    let list = this.#bySession.get(sessionId);
    if (!list) this.#bySession.set(sessionId, (list = []));
    list.push(message);
  }

  /** Forgets messages of `sessionId` with seqId ≤ `throughSeqId`; returns those that were dropped. */
  ackThrough(sessionId: string, throughSeqId: number): WireMessage[] {
    const list = this.#bySession.get(sessionId);
    if (!list) return [];
    // seqIds are pushed in increasing order, so the acknowledged ones are a prefix.
    let n = 0;
    while (n < list.length && list[n].seqId <= throughSeqId) n++;
    const dropped = list.splice(0, n);
    if (list.length === 0) this.#bySession.delete(sessionId);
    return dropped;
  }

  /** Messages still waiting for `sessionId`, oldest first. */
  pending(sessionId: string): readonly WireMessage[] {
    return this.#bySession.get(sessionId) ?? [];
  }

  sessions(): string[] {
    return [...this.#bySession.keys()];
  }

  get size(): number {
    let n = 0;
    for (const list of this.#bySession.values()) n += list.length;
    return n;
  }
}
