import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it, type TestContext } from 'node:test';
import { TestPeer } from '../helpers/signaling-client.js';
import { Receiver, WHOLE_CALL, type Delivery } from '../helpers/event-receiver.js';
import { apiKeyFor, eventually, startApp, testConfig } from '../helpers/test-app.js';

// Call events POSTed to a receiver of the tests' own, checked as a receiver would: each signature with the
// Standard Webhooks library's verifier and with a plain HMAC written here, ids unique, nothing secret inside.

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

let receiver: Receiver;
before(async () => {
  receiver = await Receiver.start();
});
after(() => receiver.server.close());

async function start(t: TestContext) {
  receiver.accepted.length = 0;
  receiver.attempts = 0;
  receiver.status = () => 200;
  const endpoints = [{ id: 'crm', url: receiver.url, secret: SECRET }];
  const app = await startApp(t, testConfig({ EVENT_WEBHOOKS_JSON: JSON.stringify(endpoints) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const headers = (await apiKeyFor(app)).auth;
  const create = async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers,
      payload: {
        host: { name: 'Clínica Norte' },
        guest: { phone: '+573004445566', name: 'Luis' },
        metadata: { ticket: 7 },
      },
    });
    return response.json<{ id: string; links: { host: string; guest: string } }>();
  };
  return { app, headers, create };
}

/** The same check as the library's, written from the Standard Webhooks specification. */
function plainSignature(delivery: Delivery): string {
  const id = delivery.headers['webhook-id'] as string;
  const timestamp = delivery.headers['webhook-timestamp'] as string;
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${delivery.body}`).digest('base64')}`;
}

describe('call events (Standard Webhooks)', () => {
  it('tells of a call over its whole life, in order, signed, without seat keys', async (t) => {
    const { app, create } = await start(t);
    const call = await create();
    const seatKey = (link: string) => new URL(link).hash.slice(3);
    const host = await TestPeer.connect(app, call.id, seatKey(call.links.host));
    const guest = await TestPeer.connect(app, call.id, seatKey(call.links.guest));
    await eventually(() => receiver.types().filter((type) => type === 'participant.joined').length === 2);
    host.send({ type: 'connected', setupMs: 900, path: 'direct' });
    guest.send({ type: 'connected', setupMs: 950, path: 'direct' });
    await eventually(() => receiver.types().includes('call.connected'));
    guest.send({ type: 'leave' });
    await eventually(() => receiver.types().includes('call.ended'));
    await guest.closed();
    assert.deepEqual(receiver.verifiedTypes(SECRET, call.id), WHOLE_CALL);
    for (const delivery of receiver.accepted) {
      assert.equal(delivery.headers['webhook-signature'], plainSignature(delivery));
      assert.equal(delivery.event.data.callId, call.id);
      assert.deepEqual(delivery.event.data.metadata, { ticket: 7 });
      for (const link of [call.links.host, call.links.guest])
        assert.ok(!delivery.body.includes(seatKey(link)));
    }
    assert.equal(
      new Set(receiver.accepted.map((d) => d.headers['webhook-id'])).size,
      receiver.accepted.length,
    );
    const ended = receiver.accepted.at(-1)?.event.data;
    assert.equal(ended?.endedBy, 'guest');
    assert.equal(typeof ended?.durationSeconds, 'number');
    host.socket.close();
  });

  it('delivers every event exactly once to an endpoint that was down for a while', async (t) => {
    const { app, create, headers } = await start(t);
    let down = true;
    receiver.status = () => (down ? 503 : 200);
    const calls = [await create(), await create(), await create()];
    await app.inject({ method: 'POST', url: `/api/v1/calls/${calls[1]?.id}/cancel`, headers });
    await eventually(() => receiver.attempts >= 3, { what: 'tries while the endpoint is down' });
    down = false;
    await eventually(() => receiver.accepted.length === 4, { what: 'every event' });
    await app.outboxWorker.stop();
    assert.deepEqual(receiver.types().sort(), [
      'call.cancelled',
      'call.created',
      'call.created',
      'call.created',
    ]);
    assert.equal(new Set(receiver.accepted.map((d) => d.headers['webhook-id'])).size, 4, 'none twice');
  });

  it('tells of a booked call moved to another time, with both times', async (t) => {
    const { app, headers } = await start(t);
    const startsAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
    const later = new Date(Date.now() + 5 * 3_600_000).toISOString();
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers,
      payload: { host: { name: 'Clínica Norte' }, guest: { phone: '+573004445566' }, startsAt },
    });
    const { id } = created.json<{ id: string }>();
    const moved = await app.inject({
      method: 'POST',
      url: `/api/v1/calls/${id}/reschedule`,
      headers,
      payload: { startsAt: later },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    const event = await eventually(() =>
      receiver.accepted.find((delivery) => delivery.event.type === 'call.rescheduled'),
    );
    assert.deepEqual(event.event.data, {
      callId: id,
      line: 'main',
      startsAt: later,
      previousStartsAt: startsAt,
    });
    // Every event of a booked call names its time.
    const createdEvent = receiver.accepted.find((delivery) => delivery.event.type === 'call.created');
    assert.equal((createdEvent?.event.data as { startsAt?: string }).startsAt, startsAt);
  });

  it('does not retry an event the endpoint refused with a 4xx, and goes on with the next', async (t) => {
    const { create } = await start(t);
    let answers = [400];
    receiver.status = () => answers.shift() ?? 200;
    await create();
    await eventually(() => receiver.attempts === 1);
    answers = [];
    await create();
    await eventually(() => receiver.accepted.length === 1);
    assert.equal(receiver.attempts, 2, 'the refused event was tried once');
  });

  it('stops sending to an endpoint that keeps failing, keeping its events, and says so', async (t) => {
    const { app, create } = await start(t);
    receiver.status = () => 410;
    for (let i = 0; i < 3; i++) await create();
    await eventually(async () => {
      const body = (await app.inject({ url: '/metrics' })).body;
      return /wwb_outbox_lines_disabled\{line="event:crm"\} 1/.test(body);
    });
    const last = await create();
    await app.outboxWorker.stop();
    assert.equal(receiver.attempts, 3, 'nothing more is sent to it');
    const kept = await app.storage.outbox.nextDueAtMs('event:crm');
    assert.notEqual(kept, undefined, `the event of ${last.id} waits, stored, for a restart`);
  });
});
