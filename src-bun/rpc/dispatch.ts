/**
 * Turns a request packet from either transport into a response packet:
 * checks the packet's shape, the method name and the params schema before
 * any handler runs. Every failure becomes a clear error response; nothing
 * a client sends can throw out of here.
 */
import type { z } from 'zod';
import { requestSchemas, type Handlers, type RequestName, type ResponsePacket } from '../../src/shared/rpc';

/** Formats zod issues as `field: message; field: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Handles one raw packet; returns the response to send, or null when the packet was not a request. */
export async function dispatch(handlers: Handlers, raw: unknown, ctx: { clientId: string }): Promise<ResponsePacket | null> {
  if (typeof raw !== 'object' || raw === null) return null;
  const packet = raw as { type?: unknown; id?: unknown; method?: unknown; params?: unknown };
  if (packet.type !== 'request') return null;
  const id = typeof packet.id === 'number' && Number.isSafeInteger(packet.id) ? packet.id : -1;
  const fail = (error: string): ResponsePacket => ({ type: 'response', id, success: false, error });
  if (id < 0) return fail('Request id must be a non-negative integer');
  if (typeof packet.method !== 'string' || !Object.hasOwn(requestSchemas, packet.method)) {
    return fail(`Unknown method ${JSON.stringify(String(packet.method).slice(0, 100))}`);
  }
  const method = packet.method as RequestName;
  const parsed = requestSchemas[method].params.safeParse(packet.params ?? {});
  if (!parsed.success) return fail(`Invalid params for ${method}: ${describeIssues(parsed.error)}`);
  try {
    const handler = handlers[method] as (p: unknown, c: { clientId: string }) => unknown;
    const payload = await handler(parsed.data, ctx);
    return { type: 'response', id, success: true, payload };
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}
