/** Client side of the RPC contract; see `connect.ts` for how the transport is chosen. */
export type { Connection, ConnectionState, PacketTransport, RpcClient } from './types';
export { connectRpc, webSocketUrl, isElectrobunHost, type RpcConnection } from './connect';
export { createElectrobunRpcClient } from './electrobun-client';
export { createWebSocketTransport, DISCONNECTED_ERROR, type SocketLike } from './websocket-transport';
