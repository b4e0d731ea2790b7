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

/** `ElectrobunRPCSchema` for Corral; pass to `Electroview.defineRPC` and `BrowserView.defineRPC`. */
export type CorralRpcSchema = {
  bun: { requests: BunRequests; messages: Record<never, unknown> };
  webview: { requests: Record<never, { params: unknown; response: unknown }>; messages: WebviewMessages };
};
