import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedRoom } from '../helpers/signaling-client.js';
import { cloudConfig, eventually, startApp, testConfig } from '../helpers/test-app.js';

describe('GET /room/:roomId', () => {
  it('serves the call page with a strict CSP, camera and microphone for this origin only, and no referrer', async (t) => {
    const app = await startApp(t, testConfig());
    const { room } = await seedRoom(app);
    const response = await app.inject({ url: `/room/${room.id}` });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<script type="module" src="\/assets\/call.js"><\/script>/);
    assert.match(response.body, /og:title/);
    assert.ok(!response.body.includes(room.id), 'nothing about the room in the page or its preview');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(String(response.headers['permissions-policy']), /camera=\(self\), microphone=\(self\)/);
  });

  it('says in Spanish, or in English when preferred, that a room does not exist (404) or expired (410)', async (t) => {
    const app = await startApp(t, testConfig());
    const expired = await seedRoom(app, { nowMs: Date.now() - 7200_000, ttlSeconds: 3600 });
    const missing = await app.inject({ url: `/room/${'A'.repeat(22)}` });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /<h1>Esta videollamada no existe<\/h1>/);
    // In the sandbox, the page's one action is to ask for a new link there.
    assert.match(
      missing.body,
      /<a class="button primary" data-action="new-link" href="\/sandbox">Pedir un enlace nuevo<\/a>/,
    );
    const malformed = await app.inject({ url: '/room/..%2F..%2Fetc' });
    assert.equal(malformed.statusCode, 404);
    const gone = await app.inject({
      url: `/room/${expired.room.id}`,
      headers: { 'accept-language': 'en-US,en;q=0.9,es;q=0.8' },
    });
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /This call has expired/);
    assert.match(gone.body, />Ask for a new link</);
  });

  it('with the bot’s number configured, sends a dead link to the bot’s chat, and tells the call page where', async (t) => {
    const graph = 'http://127.0.0.1:9';
    const app = await startApp(t, cloudConfig(graph, { WHATSAPP_DISPLAY_NUMBER: '+57 300 000 1111' }));
    const missing = await app.inject({ url: `/room/${'A'.repeat(22)}` });
    assert.match(missing.body, /href="https:\/\/wa\.me\/573000001111\?text=videollamada"/);
    const { room } = await seedRoom(app);
    const page = await app.inject({ url: `/room/${room.id}` });
    assert.match(
      page.body,
      /<meta name="wwb-new-link" content="https:\/\/wa\.me\/573000001111\?text=videollamada">/,
    );
    const withoutNumber = await startApp(t, cloudConfig(graph));
    const plain = await withoutNumber.inject({ url: `/room/${'A'.repeat(22)}` });
    assert.match(plain.body, /<div class="actions"><\/div>/);
    const other = await seedRoom(withoutNumber);
    const callPage = await withoutNumber.inject({ url: `/room/${other.room.id}` });
    assert.equal(callPage.statusCode, 200);
    assert.doesNotMatch(callPage.body, /wwb-new-link/);
  });

  it('serves the page assets, compressed when the browser accepts it', async (t) => {
    const app = await startApp(t, testConfig());
    const plain = await app.inject({ url: '/assets/call.js' });
    assert.equal(plain.statusCode, 200);
    assert.match(String(plain.headers['content-type']), /javascript/);
    const gzipped = await app.inject({ url: '/assets/call.js', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.ok(gzipped.rawPayload.length < plain.rawPayload.length);
  });
});

describe('GET /i/:roomId (the short link that forwards an invitation)', () => {
  it('redirects the invitee’s key to wa.me with the invitation written; answers JSON for the sandbox', async (t) => {
    const app = await startApp(t, testConfig());
    const { room, seatKeys } = await seedRoom(app);
    const response = await app.inject({ url: `/i/${room.id}?k=${seatKeys[1]}` });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers['cache-control'], 'no-store');
    const target = new URL(String(response.headers.location));
    assert.equal(target.origin + target.pathname, 'https://wa.me/573004445566');
    const text = target.searchParams.get('text') ?? '';
    assert.match(text, /^Ana \(\+57 300 1112233\) te invita a una videollamada/);
    assert.ok(text.includes(`/room/${room.id}#k=${seatKeys[1]}`), text);
    const json = await app.inject({
      url: `/i/${room.id}?k=${seatKeys[1]}`,
      headers: { accept: 'application/json' },
    });
    assert.deepEqual(json.json(), { to: '573004445566', text });
  });

  it('forwards nothing for the inviter’s own key, a wrong or missing key, an unknown or expired room', async (t) => {
    const app = await startApp(t, testConfig());
    const { room, seatKeys } = await seedRoom(app);
    const expired = await seedRoom(app, { nowMs: Date.now() - 7200_000, ttlSeconds: 3600 });
    for (const url of [
      `/i/${room.id}?k=${seatKeys[0]}`,
      `/i/${room.id}?k=${'B'.repeat(22)}`,
      `/i/${room.id}`,
      `/i/${room.id}?k=${seatKeys[1]}&k=${seatKeys[1]}`,
      `/i/${'A'.repeat(22)}?k=${seatKeys[1]}`,
    ]) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.headers.location, undefined);
      assert.match(response.body, /Esta videollamada no existe/);
    }
    const gone = await app.inject({
      url: `/i/${expired.room.id}?k=${expired.seatKeys[1]}`,
      headers: { 'accept-language': 'en' },
    });
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /This call has expired/);
    const json = await app.inject({
      url: `/i/${room.id}?k=${seatKeys[0]}`,
      headers: { accept: 'application/json' },
    });
    assert.equal(json.statusCode, 403);
    assert.equal(json.json().code, 'SEAT_KEY_INVALID');
  });
});

describe('GET /api/rooms/:roomId', () => {
  it('tells a seat key holder their seat, whom the link calls, and whether the other person is there', async (t) => {
    const app = await startApp(t, testConfig());
    const { room, seatKeys } = await seedRoom(app);
    const ask = (seatKey: string) =>
      app.inject({ url: `/api/rooms/${room.id}`, headers: { authorization: `Bearer ${seatKey}` } });
    const response = await ask(seatKeys[1]);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      seat: 1,
      peerPresent: false,
      expiresAt: room.expiresAtMs,
      peerLabel: 'Ana',
    });
    assert.equal(response.headers['cache-control'], 'no-store');
    // Without a name, the number is shown only in part.
    const other = await ask(seatKeys[0]);
    assert.equal(other.json().peerLabel, '+57 ••• 5566');
    assert.doesNotMatch(other.body, /4445566/);
  });

  it('answers a wrong key with 403 SEAT_KEY_INVALID', async (t) => {
    const app = await startApp(t, testConfig());
    const { room } = await seedRoom(app);
    const response = await app.inject({
      url: `/api/rooms/${room.id}`,
      headers: { authorization: `Bearer ${'x'.repeat(22)}` },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'SEAT_KEY_INVALID');
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async (t) => {
    const app = await startApp(t, testConfig());
    assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { status: 'ok' });
    assert.deepEqual((await app.inject({ url: '/readyz' })).json(), { status: 'ready' });
  });

  it('is not ready when a message has been due for more than five minutes', async (t) => {
    let now = Date.now();
    const app = await startApp(t, testConfig(), {
      now: () => now,
      outboxWorker: { maxSendsPerSecond: 0.001 },
    });
    await app.storage.ledger.commit(
      'in-1',
      { rooms: [], messages: [{ id: 'm', kind: 'reply', line: 'main', to: '1', content: { type: 'text' } }] },
      now,
    );
    await app.outboxWorker.stop();
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
    now += 6 * 60_000;
    const stuck = await app.inject({ url: '/readyz' });
    assert.equal(stuck.statusCode, 503);
    assert.equal(stuck.json().code, 'OUTBOX_STUCK');
  });

  it('answers unknown routes with a coded 404', async (t) => {
    const app = await startApp(t, testConfig());
    const response = await app.inject({ url: '/nope' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'NOT_FOUND');
  });
});

describe('sandbox', () => {
  it('is not reachable when a WhatsApp token is configured', async (t) => {
    const app = await startApp(t, cloudConfig('http://127.0.0.1:9'));
    for (const url of ['/sandbox', '/sandbox/events'])
      assert.equal((await app.inject({ url })).statusCode, 404);
    const post = await app.inject({
      method: 'POST',
      url: '/sandbox/messages',
      payload: { from: '+573001112233', text: 'ayuda' },
    });
    assert.equal(post.statusCode, 404);
  });

  it('goes through the signed webhook path and shows the bot’s replies to every number', async (t) => {
    const app = await startApp(t, testConfig());
    const write = (from: string, text: string) =>
      app.inject({
        method: 'POST',
        url: '/sandbox/messages',
        payload: { from, name: from.startsWith('+57 300 1') ? 'Ana' : 'Luis', text },
      });
    // Luis writes first, so his 24-hour window is open and the bot may send him his link.
    assert.equal((await write('+57 300 444 5566', 'hola')).statusCode, 200);
    const response = await write('+57 300 111 2233', 'videollamada +57 300 444 5566');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { received: 1, handled: 1, duplicates: 0, statuses: 0 });
    type Event = { person: string; direction: string; text: string };
    const events = await eventually(async () => {
      const list = (await app.inject({ url: '/sandbox/events?after=0' })).json<{ events: Event[] }>().events;
      return list.length >= 5 && list;
    });
    assert.deepEqual(
      events.map((e) => [e.direction, e.person]),
      [
        ['in', '573004445566'],
        ['out', '573004445566'],
        ['in', '573001112233'],
        ['out', '573001112233'],
        ['out', '573004445566'],
      ],
    );
    assert.match(events[4]!.text, /^Ana \(\+57 300 1112233\) te invita/);
  });

  it('shares a contact card as Meta would send it', async (t) => {
    const app = await startApp(t, testConfig());
    const response = await app.inject({
      method: 'POST',
      url: '/sandbox/messages',
      payload: { from: '+573001112233', contact: { name: 'Luis', phone: '+57 300 444 5566' } },
    });
    assert.equal(response.json().handled, 1);
  });

  it('answers a message that is not a phone number and text with a coded 400', async (t) => {
    const app = await startApp(t, testConfig());
    for (const payload of [{ from: 'nobody', text: 'hi' }, { from: '+573001112233' }, 'not json']) {
      const response = await app.inject({ method: 'POST', url: '/sandbox/messages', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().code, 'BAD_REQUEST');
    }
  });

  it('delivers a forwarded invitation person to person, without the bot, and refuses bad numbers', async (t) => {
    const app = await startApp(t, testConfig());
    const forwarded = await app.inject({
      method: 'POST',
      url: '/sandbox/forward',
      payload: { from: '+57 300 111 2233', to: '+57 300 999 0001', text: 'Ana te invita: http://x/room/y' },
    });
    assert.equal(forwarded.statusCode, 200);
    const events = (await app.inject({ url: '/sandbox/events' })).json().events as Record<string, unknown>[];
    assert.deepEqual(
      events.map(({ direction, person, from, text }) => ({ direction, person, from, text })),
      [
        {
          direction: 'peer',
          person: '573009990001',
          from: '573001112233',
          text: 'Ana te invita: http://x/room/y',
        },
      ],
    );
    for (const payload of [{ from: '+573001112233', to: 'nobody', text: 'x' }, { from: '+573001112233' }]) {
      const response = await app.inject({ method: 'POST', url: '/sandbox/forward', payload });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().code, 'BAD_REQUEST');
    }
  });
});
