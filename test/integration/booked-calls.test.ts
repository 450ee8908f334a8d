import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { RefusedUpgrade, TestPeer } from '../helpers/signaling-client.js';
import { apiKeyFor, cloudConfig, eventually, startApp } from '../helpers/test-app.js';
import { notification, signed, textMessage } from '../helpers/webhook-payloads.js';

// A call booked on WhatsApp, end to end through the service: the messages as the Graph API receives them, its
// calendar entry, and its room closed until 15 minutes before its time. The service's clock is a variable.

const ANA = '573001112233';
const LUIS = '573004445566';
/** Tuesday 1 December 2026, 10:00 in Bogotá. */
const NOW = Date.parse('2026-12-01T15:00:00Z');
const START = Date.parse('2026-12-02T15:00:00Z');

async function service(t: TestContext) {
  const graph = await FakeGraphApi.start();
  t.after(() => graph.close());
  const clock = { now: NOW };
  const app = await startApp(t, cloudConfig(graph.baseUrl), { now: () => clock.now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { graph, app, clock };
}

async function post(app: FastifyInstance, payload: unknown): Promise<void> {
  const { headers, payload: body } = signed(payload);
  const response = await app.inject({ method: 'POST', url: '/webhook', headers, payload: body });
  assert.equal(response.statusCode, 200);
}

describe('a call booked on WhatsApp', () => {
  it('is confirmed with its time and calendar entry, and its room opens 15 minutes before', async (t) => {
    const { graph, app, clock } = await service(t);
    await post(app, notification([textMessage(LUIS, 'hola')], { name: 'Luis' }));
    await post(app, notification([textMessage(ANA, 'videollamada +57 300 444 5566 mañana 10:00')]));
    const [toAna, toLuis] = await eventually(
      () => {
        const ana = graph.accepted.find(
          (send) => send.body.to === ANA && JSON.stringify(send.body).includes('#k='),
        );
        const luis = graph.accepted.find(
          (send) => send.body.to === LUIS && JSON.stringify(send.body).includes('#k='),
        );
        return ana !== undefined && luis !== undefined && ([ana, luis] as const);
      },
      { what: 'both messages' },
    );
    const anaText = JSON.stringify(toAna.body);
    assert.match(anaText, /quedó para el miércoles, 2 de diciembre, 10:00 a\. m\./);
    assert.match(JSON.stringify(toLuis.body), /te invita a una videollamada el miércoles, 2 de diciembre/);
    const [, roomId, seatKey] = /\/room\/([\w-]{22})#k=([\w-]{22})/.exec(anaText) ?? [];
    const calendarPath = /\/calendar\/[\w-]{22}\.ics\?lang=es/.exec(anaText)?.[0] as string;

    // The calendar entry: when, in UTC; no seat key, no number, no name.
    const calendar = await app.inject({ method: 'GET', url: calendarPath });
    assert.equal(calendar.statusCode, 200);
    assert.match(String(calendar.headers['content-type']), /^text\/calendar/);
    assert.match(calendar.body, /DTSTART:20261202T150000Z/);
    assert.match(calendar.body, /SUMMARY:Videollamada \(WhatsApp\)/);
    for (const secret of [seatKey, '3001112233', '4445566', 'Ana', 'Luis'])
      assert.equal(calendar.body.includes(secret as string), false, secret);
    const unknown = await app.inject({ method: 'GET', url: '/calendar/AAAAAAAAAAAAAAAAAAAAAA.ics' });
    assert.deepEqual([unknown.statusCode, unknown.json<{ code: string }>().code], [404, 'ROOM_NOT_FOUND']);

    // Before it opens, the page learns when; a socket is refused with a code it explains.
    const room = await app.inject({
      method: 'GET',
      url: `/api/rooms/${roomId}`,
      headers: { authorization: `Bearer ${seatKey}` },
    });
    assert.deepEqual(
      [room.json<{ startsAt: number }>().startsAt, room.json<{ opensAt: number }>().opensAt],
      [START, START - 15 * 60_000],
    );
    const refused = await TestPeer.connect(app, roomId as string, seatKey).catch((error: unknown) => error);
    assert.ok(refused instanceof RefusedUpgrade);
    assert.deepEqual([refused.status, refused.code], [409, 'ROOM_NOT_OPEN']);

    // Fifteen minutes before, it opens.
    clock.now = START - 15 * 60_000;
    const peer = await TestPeer.connect(app, roomId as string, seatKey);
    t.after(() => peer.socket.close());
    await peer.next('joined');
  });

  it('asks back instead of booking a time it cannot be sure of', async (t) => {
    const { graph, app } = await service(t);
    await post(app, notification([textMessage(ANA, 'videollamada +57 300 444 5566 mañana a las 3')]));
    const question = await eventually(() => graph.accepted.find((send) => send.body.to === ANA));
    assert.match(JSON.stringify(question.body), /¿A las 3 de la mañana o de la tarde\?/);
    assert.equal((await app.storage.rooms.list({ lines: ['main'], limit: 10 })).length, 0);
  });
});

/** Clínica Norte books a call with Luis for 2 December, 10:00 in Bogotá, its links living half an hour after. */
async function bookThroughApi(app: FastifyInstance) {
  const { auth } = await apiKeyFor(app);
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/calls',
    headers: auth,
    payload: {
      host: { name: 'Clínica Norte' },
      guest: { phone: `+${LUIS}`, name: 'Luis' },
      startsAt: '2026-12-02T10:00:00-05:00',
      expiresIn: 1800,
    },
  });
  return { auth, response };
}

describe('a call booked through the REST API (startsAt)', () => {
  it('books it: its time in the answer, the guest told in their zone, the room kept with its links', async (t) => {
    const { graph, app, clock } = await service(t);
    await post(app, notification([textMessage(LUIS, 'hola')], { name: 'Luis' }));
    const { auth, response } = await bookThroughApi(app);
    assert.equal(response.statusCode, 201, response.body);
    const call = response.json<{ id: string; startsAt: string; opensAt: string; expiresAt: string }>();
    assert.deepEqual(
      [call.startsAt, call.opensAt, call.expiresAt],
      ['2026-12-02T15:00:00.000Z', '2026-12-02T14:45:00.000Z', '2026-12-02T15:30:00.000Z'],
    );
    const invitation = await eventually(() =>
      graph.accepted.find((send) => send.body.to === LUIS && JSON.stringify(send.body).includes('/room/')),
    );
    assert.match(
      JSON.stringify(invitation.body),
      /Clínica Norte te invita a una videollamada el miércoles, 2 de diciembre, 10:00 a\. m\./,
    );
    const read = await app.inject({ method: 'GET', url: `/api/v1/calls/${call.id}`, headers: auth });
    assert.equal(read.json<{ startsAt: string }>().startsAt, '2026-12-02T15:00:00.000Z');
    // Its reminders will carry the links: the room was stored with them.
    const [due] = await app.storage.rooms.remindersDue(Date.parse(call.startsAt), clock.now, 10);
    assert.equal(due?.room.id, call.id);
    assert.equal(due?.links?.length, 2);
  });

  for (const [startsAt, reason] of [
    ['2026-12-01T09:00:00-05:00', /startsAt: is in the past/],
    ['2027-06-01T10:00:00-05:00', /startsAt: is more than 90 days ahead/],
    ['mañana a las 10', /startsAt/],
  ] as const) {
    it(`refuses startsAt ${startsAt} with a coded error`, async (t) => {
      const { app } = await service(t);
      const { auth } = await apiKeyFor(app);
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/calls',
        headers: auth,
        payload: { host: { name: 'Clínica Norte' }, guest: { phone: `+${LUIS}` }, startsAt },
      });
      assert.equal(response.statusCode, 422);
      const body = response.json<{ code: string; message: string }>();
      assert.equal(body.code, 'API_REQUEST_INVALID');
      assert.match(JSON.stringify(body), reason);
    });
  }
});

describe('moving a booked call through the REST API', () => {
  it('moves it: the new time told to whoever got their link, the room living as long after it', async (t) => {
    const { graph, app, clock } = await service(t);
    await post(app, notification([textMessage(LUIS, 'hola')], { name: 'Luis' }));
    const { auth, response: created } = await bookThroughApi(app);
    const { id } = created.json<{ id: string }>();
    await eventually(() =>
      graph.accepted.find((send) => send.body.to === LUIS && JSON.stringify(send.body).includes('/room/')),
    );
    const moved = await app.inject({
      method: 'POST',
      url: `/api/v1/calls/${id}/reschedule`,
      headers: auth,
      payload: { startsAt: '2026-12-04T16:00:00-05:00' },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(
      [moved.json<{ startsAt: string }>().startsAt, moved.json<{ expiresAt: string }>().expiresAt],
      ['2026-12-04T21:00:00.000Z', '2026-12-04T21:30:00.000Z'],
    );
    const notice = await eventually(() =>
      graph.accepted.find((send) => send.body.to === LUIS && JSON.stringify(send.body).includes('cambió')),
    );
    assert.match(
      JSON.stringify(notice.body),
      /Tu videollamada con Clínica Norte cambió: ahora es el viernes, 4 de diciembre, 4:00 p\. m\./,
    );
    // The reminder is due again, at the new time.
    const [due] = await app.storage.rooms.remindersDue(Date.parse('2026-12-04T21:00:00Z'), clock.now, 10);
    assert.equal(due?.room.id, id);

    const again = (payload: Record<string, string>, callId: string = id) =>
      app.inject({ method: 'POST', url: `/api/v1/calls/${callId}/reschedule`, headers: auth, payload });
    const past = await again({ startsAt: '2026-11-30T10:00:00-05:00' });
    assert.deepEqual([past.statusCode, past.json<{ code: string }>().code], [422, 'API_REQUEST_INVALID']);
    const now = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers: auth,
      payload: { host: { name: 'Clínica Norte' }, guest: { phone: `+${LUIS}` } },
    });
    const notBooked = await again({ startsAt: '2026-12-04T16:00:00-05:00' }, now.json<{ id: string }>().id);
    assert.deepEqual(
      [notBooked.statusCode, notBooked.json<{ code: string }>().code],
      [409, 'CALL_NOT_RESCHEDULABLE'],
    );
  });
});
