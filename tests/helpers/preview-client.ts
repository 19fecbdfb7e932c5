/** A test's side of the preview host: plain HTTP requests, uploads and contract calls over its WebSocket. */
import { request } from 'node:http';
import { WebSocket } from 'ws';
import type { PreviewHost } from '../../src/main/host/preview';
import { ensureUser, TEST_PASSWORD } from './sessions';

export interface HttpAnswer {
  status: number;
  type: string | undefined;
  body: Buffer;
}

export function http(host: PreviewHost, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<HttpAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Uploads `bytes` as the preview page does; answers the HTTP answer and, on success, the stored path. */
export async function upload(host: PreviewHost, name: string, bytes: Buffer): Promise<HttpAnswer & { path?: string }> {
  const answer = await http(host, `/upload?token=${host.token}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { Origin: host.origin, 'Content-Type': 'application/octet-stream' },
    body: bytes,
  });
  return answer.status === 200 ? { ...answer, path: (JSON.parse(answer.body.toString()) as { path: string }).path } : answer;
}

export interface CallAnswer {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface PreviewCaller {
  call(method: string, input: unknown): Promise<CallAnswer>;
  close(): void;
}

/**
 * A WebSocket with the token and the preview's own Origin, as the page opens it, logged in as `username`
 * (an administrator, created when missing) unless `username` is null.
 */
export async function connectCaller(host: PreviewHost, username: string | null = 'clerk-li'): Promise<PreviewCaller> {
  const caller = await openCaller(host);
  if (username !== null) {
    await ensureUser(host.archive, username, 'admin');
    const login = await caller.call('auth:login', { username, password: TEST_PASSWORD });
    if (!login.ok) throw new Error(`login as ${username} failed: ${login.error?.message}`);
  }
  return caller;
}

function openCaller(host: PreviewHost): Promise<PreviewCaller> {
  return new Promise((resolveCaller, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${encodeURIComponent(host.token)}`, { origin: host.origin });
    let next = 1;
    const pending = new Map<number, (answer: CallAnswer) => void>();
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { kind: string; id?: number; result?: CallAnswer };
      if (message.kind === 'result' && typeof message.id === 'number') pending.get(message.id)?.(message.result!);
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolveCaller({
        call(method, input) {
          const id = next++;
          return new Promise((done) => {
            pending.set(id, done);
            ws.send(JSON.stringify({ id, method, input }));
          });
        },
        close: () => ws.close(),
      }),
    );
  });
}
