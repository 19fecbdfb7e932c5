/**
 * The one transport-independent piece of every host (ipc.ts and preview.ts): it turns a raw
 * message from an untrusted page into a contract call on the core's handler table, and fans core events out
 * to any number of connected pages. Nothing here knows about Electron, sockets or windows.
 *
 * Envelope rules: a call is `{ id, method, input }` (the IPC flavour carries no id: `{ method, input }`),
 * a plain object with exactly those keys; `id` a string of 1–128 characters or a non-negative safe integer;
 * `method` a key of the contract. Anything else yields `{ ok: false, error: { code: 'VALIDATION' } }`. The
 * input itself is validated by the handler table against the contract's zod schema. These functions never
 * throw and never leak a stack trace.
 */
import { isMethod, type CallResult, type Method } from '../../shared/contract';
import type { ErrorPayload } from '../../shared/errors';
import { isEventName, type EventName, type EventPayload } from '../../shared/events';
import { isCallResult, type EventMessage } from '../../shared/client';

export type { EventMessage } from '../../shared/client';

/** The shape of the core's `Api` (src/main/core/api.ts) a transport needs. */
export interface CallHandler {
  invoke(method: string, rawInput: unknown): Promise<CallResult<Method>>;
}

export type CallId = string | number;

export interface CallResponse {
  /** The request's id, or null when the request carried no usable id. */
  id: CallId | null;
  result: CallResult<Method>;
}

const MAX_ID_LENGTH = 128;

function fail(message: string, details?: Record<string, unknown>): CallResult<Method> {
  const error: ErrorPayload = details ? { code: 'VALIDATION', message, details } : { code: 'VALIDATION', message };
  return { ok: false, error };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function isCallId(value: unknown): value is CallId {
  if (typeof value === 'string') return value.length >= 1 && value.length <= MAX_ID_LENGTH;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function unexpectedKeys(body: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(body).filter((key) => !allowed.includes(key));
}

/**
 * Runs one call on the handler table. Unknown methods are refused here, before the core sees them; a
 * handler that throws or answers with something that is not a CallResult becomes an INTERNAL error.
 */
export async function dispatchCall(handler: CallHandler, method: unknown, input: unknown): Promise<CallResult<Method>> {
  if (!isMethod(method)) {
    return typeof method === 'string'
      ? fail(`"${method.slice(0, 100)}" is not a SlipVault call.`, { method: method.slice(0, 100) })
      : fail('A call must name its method as a string.');
  }
  try {
    const result: unknown = await handler.invoke(method, input);
    if (isCallResult(result)) return result;
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `The archive gave no usable answer to ${method}.`, messageKey: 'internal.noAnswer', params: { method } },
    };
  } catch {
    // The handler table promises never to throw; if it does anyway, no stack crosses the transport.
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `The archive failed while handling ${method}.`, messageKey: 'internal.failed', params: { method } },
    };
  }
}

/** The IPC flavour: the body is `{ method, input }`; Electron's invoke() already pairs answer and request. */
export async function handleCallBody(handler: CallHandler, body: unknown): Promise<CallResult<Method>> {
  if (!isPlainObject(body)) return fail('A call must be an object { method, input }.');
  const extra = unexpectedKeys(body, ['method', 'input']);
  if (extra.length > 0) return fail('A call carries only method and input.', { unexpected: extra.slice(0, 10) });
  return dispatchCall(handler, body.method, body.input);
}

/** The message flavour (WebSocket and the like): `{ id, method, input }` → `{ id, result }`. */
export async function handleCallMessage(handler: CallHandler, message: unknown): Promise<CallResponse> {
  if (!isPlainObject(message)) return { id: null, result: fail('A call must be an object { id, method, input }.') };
  const id = isCallId(message.id) ? message.id : null;
  if (id === null) {
    return { id: null, result: fail('A call needs an id: a short string or a non-negative integer.') };
  }
  const extra = unexpectedKeys(message, ['id', 'method', 'input']);
  if (extra.length > 0) {
    return { id, result: fail('A call carries only id, method and input.', { unexpected: extra.slice(0, 10) }) };
  }
  return { id, result: await dispatchCall(handler, message.method, message.input) };
}

// --- events ---------------------------------------------------------------------------------------------

/** Anything that emits core events the way `archive.events` does. */
export interface EventSource {
  subscribe(listener: (name: EventName, payload: EventPayload<EventName>) => void): () => void;
}

export type EventSink = (message: EventMessage) => void;

/**
 * Fans core events out to every connected page. `attach` connects an event source (the open archive) and
 * returns its detach function; `addSink` registers one page (a webContents, a socket) and returns its
 * removal. A sink that throws (a closed window) is removed, never allowed to stop the others.
 */
export interface EventFanout {
  attach(source: EventSource): () => void;
  publish<E extends EventName>(event: E, payload: EventPayload<E>): void;
  addSink(sink: EventSink): () => void;
  readonly sinkCount: number;
  close(): void;
}

export function createEventFanout(onSinkError?: (error: unknown) => void): EventFanout {
  const sinks = new Set<EventSink>();
  const detachers = new Set<() => void>();
  const fanout: EventFanout = {
    attach(source) {
      const unsubscribe = source.subscribe((name, payload) => fanout.publish(name, payload));
      let attached = true;
      const detach = () => {
        if (!attached) return;
        attached = false;
        detachers.delete(detach);
        unsubscribe();
      };
      detachers.add(detach);
      return detach;
    },
    publish(event, payload) {
      if (!isEventName(event)) return;
      const message = { event, payload } as EventMessage;
      for (const sink of [...sinks]) {
        try {
          sink(message);
        } catch (error) {
          sinks.delete(sink);
          onSinkError?.(error);
        }
      }
    },
    addSink(sink) {
      sinks.add(sink);
      return () => {
        sinks.delete(sink);
      };
    },
    get sinkCount() {
      return sinks.size;
    },
    close() {
      for (const detach of [...detachers]) detach();
      sinks.clear();
    },
  };
  return fanout;
}
