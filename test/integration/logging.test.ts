import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loggerOptions } from '../../src/logger.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { seedRoom, TestPeer } from '../helpers/signaling-client.js';
import { cloudConfig, eventually, startApp, testConfig } from '../helpers/test-app.js';
import {
  notification,
  signed,
  TEST_APP_SECRET,
  TEST_VERIFY_TOKEN,
  textMessage,
} from '../helpers/webhook-payloads.js';

describe('logs', () => {
  it('never hold a phone number, token, signature or seat key in full', async (t) => {
    const graph = await FakeGraphApi.start();
    t.after(() => graph.close());
    let output = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const app = await startApp(t, cloudConfig(graph.baseUrl), {
      logger: { ...loggerOptions('debug'), stream },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });

    await app.inject({
      url: `/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=${TEST_VERIFY_TOKEN}`,
    });
    const delivery = signed(notification([textMessage('573001112233', 'videollamada +57 300 444 5566')]));
    await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    await eventually(() => graph.sends.length === 2);
    const { room, seatKeys } = await seedRoom(app);
    const peer = await TestPeer.connect(app, room.id, seatKeys[0]);
    await peer.next('joined');
    await app.inject({ url: `/api/rooms/${room.id}`, headers: { authorization: `Bearer ${seatKeys[1]}` } });
    await app.close();

    assert.match(output, /57\*+2233/, 'numbers appear masked');
    assert.match(output, /webhook: message handled/);
    for (const secret of [
      '573001112233',
      '573004445566',
      TEST_VERIFY_TOKEN,
      TEST_APP_SECRET,
      'test-token',
      delivery.headers['x-hub-signature-256']!.slice(7),
      ...seatKeys,
    ]) {
      assert.ok(!output.includes(secret), `the logs contain ${secret}`);
    }
  });

  it('show the client address from X-Forwarded-For only when the request came from a trusted proxy', async (t) => {
    let output = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const app = await startApp(t, testConfig({ TRUST_PROXY: '127.0.0.1' }), {
      logger: { ...loggerOptions('info'), stream },
    });
    const forwarded = { 'x-forwarded-for': '203.0.113.7' };
    await app.inject({ url: '/healthz', headers: forwarded, remoteAddress: '127.0.0.1' });
    await app.inject({ url: '/readyz', headers: forwarded, remoteAddress: '198.51.100.9' });
    const addresses = output
      .split('\n')
      .filter((line) => line.includes('"incoming request"'))
      .map((line) => (JSON.parse(line) as { req: { url: string; remoteAddress: string } }).req);
    assert.deepEqual(
      addresses.map((req) => [req.url, req.remoteAddress]),
      [
        ['/healthz', '203.0.113.7'],
        ['/readyz', '198.51.100.9'],
      ],
    );
  });
});
