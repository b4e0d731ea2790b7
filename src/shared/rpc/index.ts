/**
 * The one RPC contract both transports carry (Electrobun RPC on the desktop,
 * a token-authenticated WebSocket in web mode). Types are inferred from the
 * schemas, so the two cannot drift.
 *
 * Packets (same shape as Electrobun's):
 *   {type:'request', id, method, params}
 *   {type:'response', id, success:true, payload} | {type:'response', id, success:false, error}
 *   {type:'message', id: eventName, payload}
 */
import type { z } from 'zod';
import { agentEvents, agentRequests } from './agent';
import { appRequests } from './app';
import { historyEvents, historyRequests } from './history';
import { projectsRequests } from './projects';
import { providersRequests } from './providers';
import { providersLoginEvents, providersLoginRequests } from './providers-login';
import { queueEvents, queueRequests } from './queue';
import { searchRequests } from './search';
import { sessionEvents, sessionRequests } from './session';
import { settingsRequests } from './settings';
import { usageRequests } from './usage';
import { worktreeEvents, worktreeRequests } from './worktree';

export const requestSchemas = {
  ...projectsRequests, ...agentRequests, ...sessionRequests, ...settingsRequests, ...providersRequests, ...providersLoginRequests, ...appRequests, ...searchRequests,
  ...queueRequests, ...usageRequests, ...worktreeRequests, ...historyRequests,
};
export const eventSchemas = { ...agentEvents, ...sessionEvents, ...providersLoginEvents, ...queueEvents, ...worktreeEvents, ...historyEvents };

export type RequestName = keyof typeof requestSchemas;
export type EventName = keyof typeof eventSchemas;
export type Params<M extends RequestName> = z.input<(typeof requestSchemas)[M]['params']>;
export type ParsedParams<M extends RequestName> = z.output<(typeof requestSchemas)[M]['params']>;
export type Response<M extends RequestName> = z.output<(typeof requestSchemas)[M]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof eventSchemas)[E]>;

/** Handler table bound to the core; `desktop.ts` and `web.ts` bind the same one. */
export type Handlers = { [M in RequestName]: (params: ParsedParams<M>, ctx: { clientId: string }) => Promise<Response<M>> | Response<M> };

export type RequestPacket = { type: 'request'; id: number; method: string; params: unknown };
export type ResponsePacket = { type: 'response'; id: number; success: true; payload: unknown } | { type: 'response'; id: number; success: false; error: string };
export type MessagePacket = { type: 'message'; id: string; payload: unknown };
export type Packet = RequestPacket | ResponsePacket | MessagePacket;
