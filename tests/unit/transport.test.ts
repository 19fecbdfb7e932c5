import { describe, expect, it } from 'vitest';
import { createClient, createClientFromBridge, createEventHub, type EventMessage, type SlipVaultBridge } from '../../src/shared/client';
import type { CallResult, Method } from '../../src/shared/contract';
import { SlipVaultError } from '../../src/shared/errors';
import type { EventName, EventPayload, JobProgress } from '../../src/shared/events';
import type { ArchiveStatus } from '../../src/shared/model';
import {
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
  connectEventsToWebContents,
  registerIpc,
  type InvokeEventLike,
  type IpcMainLike,
  type WebContentsLike,
} from '../../src/main/host/ipc';
import { PathGrants } from '../../src/main/host/path-grants';
import { createEventFanout, dispatchCall, handleCallBody, handleCallMessage, type CallHandler, type EventSource } from '../../src/main/host/transport';

const STATUS: ArchiveStatus = {
  archiveId: 'a1',
  path: '/archives/test',
  schemaVersion: 1,
  createdAt: '2026-01-02T03:04:05.000Z',
  documents: 3,
  auditHead: 'f'.repeat(64),
  actor: 'clerk',
};

/**
 * A test double of the core's Api: answers archive:status, refuses documents:get with NOT_FOUND, records
 * every call. Like the real one, it never throws.
 */
function fakeApi() {
  const calls: Array<{ method: string; input: unknown }> = [];
  const api: CallHandler = {
    async invoke(method, input) {
      calls.push({ method, input });
      if (method === 'archive:status') return { ok: true, value: STATUS };
      if (method === 'documents:get') {
        return {
          ok: false,
          error: { code: 'NOT_FOUND', message: 'Document SV-2026-000009 does not exist.', details: { ref: 'SV-2026-000009' } },
        };
      }
      return { ok: false, error: { code: 'INTERNAL', message: 'not in this double' } };
    },
  };
  return { api, calls };
}

/** A client wired to the generic transport the way a socket transport would be. */
function clientOver(api: CallHandler) {
  let nextId = 1;
  return createClient(
    async (method, input) => {
      const id = nextId++;
      const response = await handleCallMessage(api, JSON.parse(JSON.stringify({ id, method, input })));
      expect(response.id).toBe(id);
      return response.result;
    },
    () => () => undefined,
  );
}

describe('handleCallMessage', () => {
  it('round-trips a good call', async () => {
    const { api, calls } = fakeApi();
    const response = await handleCallMessage(api, { id: 7, method: 'archive:status', input: {} });
    expect(response).toEqual({ id: 7, result: { ok: true, value: STATUS } });
    expect(calls).toEqual([{ method: 'archive:status', input: {} }]);
  });

  it('accepts string ids', async () => {
    const { api } = fakeApi();
    const response = await handleCallMessage(api, { id: 'req-1', method: 'archive:status', input: {} });
    expect(response.id).toBe('req-1');
    expect(response.result.ok).toBe(true);
  });

  it('refuses an unknown method without calling the core', async () => {
    const { api, calls } = fakeApi();
    for (const method of ['nope:nothing', 'toString', '__proto__', 'constructor', '']) {
      const response = await handleCallMessage(api, { id: 1, method, input: {} });
      expect(response.id).toBe(1);
      expect(response.result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    const nonString = await handleCallMessage(api, { id: 2, method: 42, input: {} });
    expect(nonString.result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(calls).toEqual([]);
  });

  it('refuses envelopes that are not plain objects', async () => {
    const { api, calls } = fakeApi();
    for (const raw of [null, undefined, 'archive:status', 42, true, [1, 'archive:status', {}], new Date(), Object.create({ id: 1 })]) {
      const response = await handleCallMessage(api, raw);
      expect(response.id).toBeNull();
      expect(response.result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses a call without a usable id', async () => {
    const { api, calls } = fakeApi();
    const bad: unknown[] = [
      { method: 'archive:status', input: {} },
      { id: null, method: 'archive:status', input: {} },
      { id: '', method: 'archive:status', input: {} },
      { id: 'x'.repeat(129), method: 'archive:status', input: {} },
      { id: -1, method: 'archive:status', input: {} },
      { id: 1.5, method: 'archive:status', input: {} },
      { id: Number.NaN, method: 'archive:status', input: {} },
      { id: { n: 1 }, method: 'archive:status', input: {} },
    ];
    for (const raw of bad) {
      const response = await handleCallMessage(api, raw);
      expect(response.id).toBeNull();
      expect(response.result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses extra envelope keys', async () => {
    const { api, calls } = fakeApi();
    const response = await handleCallMessage(api, { id: 3, method: 'archive:status', input: {}, session: 'x' });
    expect(response).toMatchObject({ id: 3, result: { ok: false, error: { code: 'VALIDATION', details: { unexpected: ['session'] } } } });
    expect(calls).toEqual([]);
  });

  it('passes the input through untouched for the core to validate', async () => {
    const { api, calls } = fakeApi();
    await handleCallMessage(api, { id: 4, method: 'documents:get', input: { ref: 'SV-2026-000009', extra: true } });
    expect(calls).toEqual([{ method: 'documents:get', input: { ref: 'SV-2026-000009', extra: true } }]);
  });

  it('turns a throwing or misbehaving handler into INTERNAL, without a stack', async () => {
    const throwing: CallHandler = {
      invoke: async () => {
        throw new Error('secret stack detail at /home/user/x.ts:1');
      },
    };
    const response = await handleCallMessage(throwing, { id: 5, method: 'archive:status', input: {} });
    expect(response.result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(response)).not.toContain('secret');

    const garbage = { invoke: async () => ({ nope: true }) } as unknown as CallHandler;
    const second = await handleCallMessage(garbage, { id: 6, method: 'archive:status', input: {} });
    expect(second.result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('handleCallBody (IPC flavour)', () => {
  it('round-trips { method, input }', async () => {
    const { api } = fakeApi();
    expect(await handleCallBody(api, { method: 'archive:status', input: {} })).toEqual({ ok: true, value: STATUS });
  });

  it('refuses malformed bodies', async () => {
    const { api, calls } = fakeApi();
    for (const body of [null, 'archive:status', [], { method: 'nope:x', input: {} }, { method: 'archive:status', input: {}, id: 1 }]) {
      expect(await handleCallBody(api, body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(calls).toEqual([]);
  });

  it('dispatchCall refuses non-string methods', async () => {
    const { api } = fakeApi();
    expect(await dispatchCall(api, undefined, {})).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('createClient', () => {
  it('resolves with the value of a good call', async () => {
    const { api } = fakeApi();
    await expect(clientOver(api).call('archive:status', {})).resolves.toEqual(STATUS);
  });

  it('rejects with an Error carrying code, message and details when the result is an error', async () => {
    const { api } = fakeApi();
    const error = await clientOver(api)
      .call('documents:get', { ref: 'SV-2026-000009' })
      .then(
        () => null,
        (reason: unknown) => reason,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(SlipVaultError);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Document SV-2026-000009 does not exist.',
      details: { ref: 'SV-2026-000009' },
    });
  });

  it('rejects with VALIDATION for an unknown method sent through the transport', async () => {
    const { api } = fakeApi();
    const client = clientOver(api);
    await expect(client.call('nope:x' as Method, {} as never)).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('rejects with INTERNAL when the transport fails or answers garbage', async () => {
    const failing = createClient(
      () => Promise.reject(new Error('channel closed')),
      () => () => undefined,
    );
    await expect(failing.call('archive:status', {})).rejects.toMatchObject({ code: 'INTERNAL' });
    const garbage = createClient(
      () => Promise.resolve({ ok: 'yes' } as unknown as CallResult<Method>),
      () => () => undefined,
    );
    await expect(garbage.call('archive:status', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('works over a bridge of plain-data results (the preload shape)', async () => {
    const { api } = fakeApi();
    const hub = createEventHub();
    const bridge: SlipVaultBridge = {
      invoke: (method, input) => handleCallBody(api, { method, input }),
      on: (event, listener) => hub.on(event, listener),
    };
    const client = createClientFromBridge(bridge);
    await expect(client.call('archive:status', {})).resolves.toEqual(STATUS);
    await expect(client.call('documents:get', { ref: 7 })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const seen: unknown[] = [];
    const off = client.on('documents:changed', (payload) => seen.push(payload));
    hub.dispatch({ event: 'documents:changed', payload: { documentId: 1, archiveNo: 'SV-2026-000001', version: 2 } });
    off();
    hub.dispatch({ event: 'documents:changed', payload: { documentId: 1, archiveNo: 'SV-2026-000001', version: 3 } });
    expect(seen).toEqual([{ documentId: 1, archiveNo: 'SV-2026-000001', version: 2 }]);
  });
});

describe('events', () => {
  function fakeSource() {
    let listener: ((name: EventName, payload: EventPayload<EventName>) => void) | null = null;
    const source: EventSource = {
      subscribe(next) {
        listener = next;
        return () => {
          listener = null;
        };
      },
    };
    return {
      source,
      emit: <E extends EventName>(name: E, payload: EventPayload<E>) => listener?.(name, payload),
      get subscribed() {
        return listener !== null;
      },
    };
  }

  const progress: JobProgress = { jobId: 'j1', phase: 'ocr', done: 1, total: 4 };

  it('fans one source out to every sink; a throwing sink is dropped, the others keep receiving', () => {
    const { source, emit } = fakeSource();
    const fanout = createEventFanout();
    const detach = fanout.attach(source);
    const a: EventMessage[] = [];
    const b: EventMessage[] = [];
    fanout.addSink((message) => a.push(message));
    fanout.addSink(() => {
      throw new Error('window gone');
    });
    const removeB = fanout.addSink((message) => b.push(message));
    expect(fanout.sinkCount).toBe(3);

    emit('jobs:progress', progress);
    expect(a).toEqual([{ event: 'jobs:progress', payload: progress }]);
    expect(b).toEqual([{ event: 'jobs:progress', payload: progress }]);
    expect(fanout.sinkCount).toBe(2);

    removeB();
    emit('documents:changed', { documentId: 2, archiveNo: 'SV-2026-000002', version: 1 });
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(1);

    detach();
    emit('jobs:progress', progress);
    expect(a).toHaveLength(2);
  });

  it('drops unknown event names and detaches everything on close', () => {
    const fake = fakeSource();
    const fanout = createEventFanout();
    fanout.attach(fake.source);
    const seen: EventMessage[] = [];
    fanout.addSink((message) => seen.push(message));
    fanout.publish('nope:event' as EventName, {} as never);
    expect(seen).toEqual([]);
    fanout.close();
    expect(fake.subscribed).toBe(false);
    expect(fanout.sinkCount).toBe(0);
  });

  it('the page-side hub ignores malformed messages and isolates throwing listeners', () => {
    const errors: unknown[] = [];
    const hub = createEventHub((error) => errors.push(error));
    const seen: unknown[] = [];
    hub.on('jobs:progress', () => {
      throw new Error('listener bug');
    });
    hub.on('jobs:progress', (payload) => seen.push(payload));
    for (const junk of [null, 'jobs:progress', 1, { event: 'nope', payload: 1 }, { payload: progress }]) hub.dispatch(junk);
    expect(seen).toEqual([]);
    hub.dispatch({ event: 'jobs:progress', payload: progress });
    expect(seen).toEqual([progress]);
    expect(errors).toHaveLength(1);
    expect(() => hub.on('nope' as EventName, () => undefined)).toThrow(TypeError);
  });
});

describe('IPC wiring (host/ipc.ts, no electron)', () => {
  function fakeIpcMain() {
    const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
    const ipcMain: IpcMainLike = {
      handle: (channel, listener) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, listener);
      },
      removeHandler: (channel) => {
        handlers.delete(channel);
      },
    };
    return { ipcMain, handlers };
  }

  const event: InvokeEventLike = { sender: {}, senderFrame: { url: 'app://slipvault/index.html', parent: null } };

  it('answers validated senders through the generic transport and refuses the others', async () => {
    const { api, calls } = fakeApi();
    const { ipcMain, handlers } = fakeIpcMain();
    const rejected: InvokeEventLike[] = [];
    let trusted = true;
    const dispose = registerIpc({ ipcMain, handler: api, validateSender: () => trusted, grants: new PathGrants(), onRejected: (e) => rejected.push(e) });
    const handle = handlers.get(IPC_CALL_CHANNEL);
    expect(handle).toBeTypeOf('function');

    expect(await handle!(event, { method: 'archive:status', input: {} })).toEqual({ ok: true, value: STATUS });
    expect(await handle!(event, 'garbage')).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    trusted = false;
    expect(await handle!(event, { method: 'archive:status', input: {} })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(rejected).toHaveLength(1);
    expect(calls).toHaveLength(1);

    dispose();
    expect(handlers.has(IPC_CALL_CHANNEL)).toBe(false);
  });

  it('pushes fanned-out events to a webContents until it is destroyed', () => {
    const sent: unknown[][] = [];
    let destroyed = false;
    const contents: WebContentsLike = {
      mainFrame: { url: 'app://slipvault/index.html', parent: null },
      isDestroyed: () => destroyed,
      send: (...args) => {
        sent.push(args);
      },
    };
    const fanout = createEventFanout();
    let loggedIn = false;
    connectEventsToWebContents(fanout, contents, () => loggedIn);
    // Nobody logged in: events (which name documents) are not delivered.
    fanout.publish('documents:changed', { documentId: 1, archiveNo: 'SV-2026-000001', version: 2 });
    expect(sent).toEqual([]);
    loggedIn = true;
    fanout.publish('jobs:progress', { jobId: 'j', phase: 'ocr', done: 0, total: 1 });
    expect(sent).toEqual([[IPC_EVENT_CHANNEL, { event: 'jobs:progress', payload: { jobId: 'j', phase: 'ocr', done: 0, total: 1 } }]]);
    destroyed = true;
    fanout.publish('jobs:progress', { jobId: 'j', phase: 'ocr', done: 1, total: 1 });
    expect(sent).toHaveLength(1);
    expect(fanout.sinkCount).toBe(0);
  });
});
