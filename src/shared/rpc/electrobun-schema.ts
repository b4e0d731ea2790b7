/**
 * The contract of `src/shared/rpc` in the shape Electrobun's `defineRPC`
 * expects: `bun` holds what the main process handles (requests), `webview`
 * what the view handles (pushed messages). Structural only, so it needs no
 * electrobun import and the main process can use the same type.
 */
import type { EventName, EventPayload, Params, RequestName, Response } from './index';

/** Requests the main process answers. */
export type BunRequests = { [M in RequestName]: { params: Params<M>; response: Response<M> } };
/** Messages the main process pushes to the view. */
export type WebviewMessages = { [E in EventName]: EventPayload<E> };

/**
 * Messages the view sends the main process. `frames.ack`: the view started on
 * an `agent.message` frame (the desktop's flow control,
 * src-bun/desktop/frame-pump.ts); it carries nothing.
 */
export type BunMessages = { 'frames.ack': Record<string, never> };
/** Name of the view's acknowledgement of an `agent.message` frame. */
export const FRAME_ACK = 'frames.ack' satisfies keyof BunMessages;

/** `ElectrobunRPCSchema` for Corral; pass to `Electroview.defineRPC` and `BrowserView.defineRPC`. */
export type CorralRpcSchema = {
  bun: { requests: BunRequests; messages: BunMessages };
  webview: { requests: Record<never, { params: unknown; response: unknown }>; messages: WebviewMessages };
};
