/**
 * The preview host keeps serving after requests whose target is not a URL (`http://[`): on a WebSocket
 * upgrade (which once threw out of the upgrade handler and killed the process) and on a plain request,
 * both answered 400. Raw TCP, because an HTTP client would refuse to send such a target.
 */
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPreviewHost, type PreviewHost } from '../../src/main/host/preview';
import { tempDir } from '../helpers/fixtures';

let host: PreviewHost;

beforeEach(async () => {
  const renderer = tempDir('slipvault-renderer-');
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>SlipVault</title>');
  host = await startPreviewHost({ archiveDir: join(tempDir(), 'archive'), rendererRoot: renderer, backgroundOcr: false });
});

afterEach(async () => {
  await host.close();
});

/** Sends one raw request and resolves with everything the host answers until it closes the connection. */
function rawRequest(lines: string[]): Promise<string> {
  return new Promise((resolveAnswer, reject) => {
    const socket = connect(host.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolveAnswer(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

const hostHeader = () => `Host: 127.0.0.1:${host.port}`;

describe('preview host and malformed request targets', () => {
  it('answers a WebSocket upgrade to `http://[` with 400 and goes on serving', async () => {
    const answer = await rawRequest([
      'GET http://[ HTTP/1.1',
      hostHeader(),
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      `Origin: ${host.origin}`,
    ]);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);

    const index = await rawRequest(['GET / HTTP/1.1', hostHeader(), 'Connection: close']);
    expect(index).toMatch(/^HTTP\/1\.1 200 /);
    expect(index).toContain('<title>SlipVault</title>');
  });

  it('answers a plain request to `http://[` with 400', async () => {
    const answer = await rawRequest(['GET http://[ HTTP/1.1', hostHeader(), 'Connection: close']);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('Bad request target.');
  });
});
