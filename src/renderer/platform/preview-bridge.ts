/**
 * The preview host's side of `window.slipvault` (its server is src/main/host/preview.ts): the same bridge shape the
 * Electron preload exposes, carried over the loopback WebSocket. The token comes from the page URL's
 * fragment and is required on the socket, on blob URLs and on uploads.
 */
import { createEventHub, isCallResult, type SlipVaultBridge } from '../../shared/client';
import type { CallResult, Method } from '../../shared/contract';
import type { ConnectionCall, ConnectionResult } from '../../shared/server-connection';

export interface PreviewConnection {
  bridge: SlipVaultBridge;
  token: string;
  origin: string;
}

type Pending = (result: CallResult<Method>) => void;

/** The token in `#token=…`, or null when this page was not opened by the preview host. */
export function previewToken(location: Location): string | null {
  if (location.protocol !== 'http:') return null;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  return token && /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : null;
}

export function connectPreview(location: Location, token: string): PreviewConnection {
  const socketUrl = `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const hub = createEventHub((error) => console.error('[slipvault] event listener failed', error));
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket;
  let closedReason: string | null = null;

  const failAll = (message: string) => {
    for (const [id, settle] of pending) {
      pending.delete(id);
      settle({ ok: false, error: { code: 'INTERNAL', message } });
    }
  };

  const open = () => {
    socket = new WebSocket(socketUrl);
    socket.addEventListener('open', () => {
      for (const frame of queue.splice(0)) socket.send(frame);
    });
    socket.addEventListener('message', (event: MessageEvent) => {
      let message: { kind?: unknown; id?: unknown; result?: unknown };
      try {
        message = JSON.parse(String(event.data)) as typeof message;
      } catch {
        return;
      }
      if (message.kind === 'event') {
        hub.dispatch(message);
      } else if (message.kind === 'result' && typeof message.id === 'number') {
        const settle = pending.get(message.id);
        pending.delete(message.id);
        if (settle && isCallResult(message.result)) settle(message.result);
        else settle?.({ ok: false, error: { code: 'INTERNAL', message: 'The preview host sent a malformed answer.' } });
      }
    });
    socket.addEventListener('close', () => {
      closedReason = 'The connection to the preview host was lost. Restart `npm run preview` and reload the page.';
      failAll(closedReason);
    });
  };
  open();

  // Contract calls and the host's `connection:*` calls travel in the same frames and come back the same way.
  const send = (method: string, input: unknown): Promise<CallResult<Method>> => {
    if (closedReason) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: closedReason } });
    const id = nextId++;
    const frame = JSON.stringify({ id, method, input });
    return new Promise<CallResult<Method>>((settle) => {
      pending.set(id, settle);
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
      else queue.push(frame);
    });
  };

  const bridge: SlipVaultBridge = {
    invoke: send,
    on: (event, listener) => hub.on(event, listener),
    connection: <C extends ConnectionCall>(call: C, input: unknown) => send(call, input) as Promise<unknown> as Promise<ConnectionResult<C>>,
  };
  return { bridge, token, origin: location.origin };
}
