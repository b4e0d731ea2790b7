import { describe, expect, it } from 'bun:test';
import { createFakeClock } from '../../src/shared/clock';
import type { WireMessage } from '../../src/shared/events';
import type { EventName } from '../../src/shared/rpc';
import { createFramePump } from './frame-pump';

const msg = (seqId: number): WireMessage => ({ seqId, ts: seqId, event: { type: 'text', id: `m${seqId}`, role: 'assistant', text: `t${seqId}`, mode: 'append' } });
/** A frame of session `sessionId` with the messages seqIds from..to (inclusive). */
const frame = (sessionId: string, from: number, to: number) => ({ sessionId, messages: Array.from({ length: to - from + 1 }, (_, i) => msg(from + i)) });

function setup(opts: { maxInFlight?: number; maxMessages?: number; ackTimeoutMs?: number } = { maxInFlight: 1 }) {
  const clock = createFakeClock();
  const sent: string[] = [];
  const warnings: string[] = [];
  const pump = createFramePump({
    ...opts, clock, warn: (m) => warnings.push(m),
    send: (event: EventName, payload: unknown) => {
      const p = payload as { sessionId: string; messages?: WireMessage[]; status?: string };
      sent.push(p.messages ? `${event} ${p.sessionId} ${p.messages[0]!.seqId}-${p.messages[p.messages.length - 1]!.seqId}` : `${event} ${p.sessionId} ${p.status}`);
    },
  });
  return { clock, sent, warnings, pump };
}

describe('the desktop frame pump', () => {
  it('sends the first frame at once, holds the next ones until the window acknowledges, and merges a session’s held frames', () => {
    const { sent, pump } = setup();
    pump.publish('agent.message', frame('s', 0, 499));
    pump.publish('agent.message', frame('s', 500, 999));
    pump.publish('agent.message', frame('s', 1000, 1499));
    expect(sent).toEqual(['agent.message s 0-499']);
    expect(pump.queued()).toBe(2);
    pump.acknowledged();
    expect(sent).toEqual(['agent.message s 0-499', 'agent.message s 500-1499']);
    pump.acknowledged();
    pump.publish('agent.message', frame('s', 1500, 1500));
    expect(sent.at(-1)).toBe('agent.message s 1500-1500');
  });

  it('a merged frame stays within the size limit, and frames of two sessions are not merged', () => {
    const { sent, pump } = setup({ maxInFlight: 1, maxMessages: 1000 });
    pump.publish('agent.message', frame('s', 0, 9));
    for (let i = 1; i <= 5; i++) pump.publish('agent.message', frame('s', i * 500 - 490, i * 500 + 9));
    pump.publish('agent.message', frame('t', 0, 9));
    pump.publish('agent.message', frame('s', 2510, 2519));
    for (let i = 0; i < 5; i++) pump.acknowledged();
    expect(sent).toEqual([
      'agent.message s 0-9', 'agent.message s 10-1009', 'agent.message s 1010-2009', 'agent.message s 2010-2509', 'agent.message t 0-9', 'agent.message s 2510-2519',
    ]);
  });

  it('a status waits behind the frames held before it, and goes at once when none is', () => {
    const { sent, pump } = setup();
    pump.publish('agent.status', { sessionId: 's', status: 'running' });
    pump.publish('agent.message', frame('s', 0, 9));
    pump.publish('agent.message', frame('s', 10, 19));
    pump.publish('agent.status', { sessionId: 's', status: 'done' });
    expect(sent).toEqual(['agent.status s running', 'agent.message s 0-9']);
    pump.acknowledged();
    // The held frame, then the status that came after it; the status needs no acknowledgement.
    expect(sent).toEqual(['agent.status s running', 'agent.message s 0-9', 'agent.message s 10-19', 'agent.status s done']);
    expect(pump.queued()).toBe(0);
  });

  it('keeps two frames in the window by default', () => {
    const { sent, pump } = setup({});
    for (let i = 0; i < 4; i++) pump.publish('agent.message', frame(`s${i}`, 0, 0));
    expect(sent).toEqual(['agent.message s0 0-0', 'agent.message s1 0-0']);
    pump.acknowledged();
    expect(sent).toHaveLength(3);
  });

  it('a window that stops acknowledging does not stop the stream: after the timeout the frames go on, with one warning', () => {
    const { sent, warnings, pump, clock } = setup({ maxInFlight: 1, ackTimeoutMs: 1000 });
    pump.publish('agent.message', frame('s', 0, 9));
    pump.publish('agent.message', frame('s', 10, 19));
    clock.advance(999);
    expect(sent).toHaveLength(1);
    clock.advance(1);
    expect(sent).toEqual(['agent.message s 0-9', 'agent.message s 10-19']);
    pump.publish('agent.message', frame('s', 20, 29));
    clock.advance(1000);
    expect(sent).toHaveLength(3);
    expect(warnings).toEqual(['the window did not acknowledge a message frame within 1000 ms; sending on without waiting for it']);
    // An acknowledgement for nothing in flight changes nothing; the timer is gone once all is acknowledged.
    pump.acknowledged();
    pump.acknowledged();
    expect(clock.pending()).toBe(0);
  });
});
