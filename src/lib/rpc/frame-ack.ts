/**
 * The desktop window's acknowledgement of an `agent.message` frame, for the
 * main process's flow control (src-bun/desktop/frame-pump.ts).
 *
 * It must leave at once. Electrobun's RPC socket encrypts what the view sends
 * with WebCrypto, whose answer comes back as a task queued behind the frames
 * already waiting in the window: the very queue the acknowledgement is there
 * to keep short. So it goes through Electrobun's script message handler
 * (`window.__electrobunBunBridge.postMessage`, which its preload sets up for
 * a trusted view, and which the main process reads as the same RPC packets:
 * electrobun 1.18.1, dist/api/bun/proc/native.ts, `bunBridgePostmessageHandler`),
 * as Electrobun's own view does when its socket is not open. Without that
 * handler, it goes through the RPC as any message does.
 */
import { FRAME_ACK } from '../../shared/rpc/electrobun-schema';

/** The window global Electrobun's preload defines for messages to the main process. */
export type BunBridgeHost = { __electrobunBunBridge?: { postMessage(message: string): void } };

/** Electrobun's RPC message packet (dist/api/shared/rpc.ts, `_RPCMessagePacket`) of the acknowledgement. */
const PACKET = JSON.stringify({ type: 'message', id: FRAME_ACK, payload: {} });

/**
 * Returns the function that acknowledges one frame: through `win`'s bridge
 * when it has one, else through `viaRpc`. A bridge that throws falls back to
 * `viaRpc` for that acknowledgement (a lost one only delays the next frame
 * until the main process stops waiting).
 */
export function frameAcknowledger(win: BunBridgeHost, viaRpc: () => void): () => void {
  return () => {
    const bridge = win.__electrobunBunBridge;
    if (!bridge) return viaRpc();
    try {
      bridge.postMessage(PACKET);
    } catch {
      viaRpc();
    }
  };
}
