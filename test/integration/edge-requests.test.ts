import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { ERRORS } from '../../src/errors.js';
import { seedRoom, TestPeer } from '../helpers/signaling-client.js';
import { startApp, testConfig } from '../helpers/test-app.js';

// Requests a fuzzer sends: every refusal carries a code from the catalogue, and nothing echoes the request.

async function listeningApp(t: TestContext) {
  const app = await startApp(t, testConfig());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as net.AddressInfo).port };
}

/** Sends bytes as they are and reads the whole answer (the server closes after these refusals). */
function rawRequest(port: number, request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body });
    });
  });
}

const get = (path: string, headers = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`;

function assertCoded(answer: { status: number; body: string }, code: keyof typeof ERRORS): void {
  assert.equal(answer.status, ERRORS[code].status);
  assert.equal((JSON.parse(answer.body) as { code: string }).code, code);
}

describe('refusals at the edges', () => {
  it('answers a room id of any length with 404, and never echoes the path', async (t) => {
    const { port } = await listeningApp(t);
    const long = 'a'.repeat(300);
    const api = await rawRequest(port, get(`/api/rooms/${long}`, 'Authorization: Bearer x\r\n'));
    assertCoded(api, 'ROOM_NOT_FOUND');
    const page = await rawRequest(port, get(`/room/${long}`));
    assert.equal(page.status, 404);
    const longer = await rawRequest(port, get(`/api/rooms/${'b'.repeat(2000)}`));
    assertCoded(longer, 'NOT_FOUND');
    assert.doesNotMatch(longer.body, /bbbb/);
  });

  it('answers a URL that does not decode with BAD_REQUEST', async (t) => {
    const { port } = await listeningApp(t);
    const answer = await rawRequest(port, get('/room/%E0%A4%A'));
    assertCoded(answer, 'BAD_REQUEST');
    assert.doesNotMatch(answer.body, /%E0/);
  });

  it('answers headers over 16 KB with HEADERS_TOO_LARGE, and bytes that are not HTTP with BAD_REQUEST', async (t) => {
    const { port } = await listeningApp(t);
    assertCoded(await rawRequest(port, get(`/room/${'a'.repeat(20_000)}`)), 'HEADERS_TOO_LARGE');
    assertCoded(await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n'), 'BAD_REQUEST');
  });

  it('refuses a bad WebSocket key, version or subprotocol list with the JSON error body', async (t) => {
    const { app, port } = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    const upgrade = (headers: Record<string, string>) =>
      rawRequest(
        port,
        get(
          `/ws/${room.id}?client=tab-aaaaaa&session=load-aaaaaa`,
          Object.entries({
            Upgrade: 'websocket',
            'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
            'Sec-WebSocket-Version': '13',
            'Sec-WebSocket-Protocol': `wwb.v1, seat.${seatKeys[0]}`,
            ...headers,
          })
            .map(([name, value]) => `${name}: ${value}\r\n`)
            .join('')
            .replace('Connection: close', ''),
        ).replace('Connection: close', 'Connection: Upgrade'),
      );
    assertCoded(await upgrade({ 'Sec-WebSocket-Key': 'not-a-key' }), 'BAD_REQUEST');
    assertCoded(await upgrade({ 'Sec-WebSocket-Version': '7' }), 'BAD_REQUEST');
    assertCoded(
      await upgrade({ 'Sec-WebSocket-Protocol': `wwb.v1, wwb.v1, seat.${seatKeys[0]}` }),
      'BAD_REQUEST',
    );
  });

  it('closes a socket that sends a frame over 1 MB with 1009, every time', async (t) => {
    const { app } = await listeningApp(t);
    const { room, seatKeys } = await seedRoom(app);
    for (let i = 0; i < 10; i++) {
      const peer = await TestPeer.connect(app, room.id, seatKeys[0], { client: `tab-big-${i}aaa` });
      await peer.next('joined');
      peer.send('x'.repeat(i % 2 === 0 ? 1024 * 1024 + 1 : 16 * 1024 * 1024));
      assert.equal(await peer.closed(), 1009);
    }
  });
});
