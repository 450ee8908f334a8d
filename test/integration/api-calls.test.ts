import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { ApiScope } from '../../src/api/api-keys.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { apiKeyFor, cloudConfig, eventually, startApp } from '../helpers/test-app.js';

// The REST API against the fake Graph API: keys and scopes, creating a call (and who is messaged, by the
// 24-hour window and template rules), idempotency, reading, paging and cancelling.

const LUIS = '573004445566';

let graph: FakeGraphApi;
before(async () => {
  graph = await FakeGraphApi.start();
});
after(() => graph.close());

async function start(t: TestContext, env: Record<string, string> = {}) {
  const app = await startApp(t, cloudConfig(graph.baseUrl, env));
  const key = (scopes: ApiScope[] = ['write'], lines?: string[]) => apiKeyFor(app, scopes, lines);
  const wrote = (person: string) =>
    app.storage.ledger.commit(
      `window-${person}-${Math.random()}`,
      { rooms: [], messages: [], inbound: { person, line: 'main', atMs: Date.now() - 60_000 } },
      Date.now(),
    );
  return { app, key, wrote };
}

const SMALLEST = { host: { name: 'Clínica Norte' }, guest: { phone: '+573004445566', name: 'Luis' } };

type Call = {
  id: string;
  status: string;
  links: { host: string; guest: string };
  expiresAt: string;
  guest: { invitation: { state: string; via?: string; reason?: string; forwardLink?: string } };
};

describe('the REST API: creating a call', () => {
  it('answers the smallest request with the call, both links and its expiry', async (t) => {
    const { app, key } = await start(t);
    const { auth } = await key();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers: auth,
      payload: SMALLEST,
    });
    assert.equal(response.statusCode, 201, response.body);
    const call = response.json<Call>();
    assert.match(call.id, /^[\w-]{22}$/);
    assert.match(call.links.host, new RegExp(`/room/${call.id}#k=[\\w-]{22}$`));
    assert.match(call.links.guest, new RegExp(`/room/${call.id}#k=[\\w-]{22}$`));
    assert.notEqual(call.links.host, call.links.guest);
    assert.ok(Date.parse(call.expiresAt) > Date.now() + 23 * 3_600_000);
    // Luis never wrote and the line has no template: nothing free-form, a link for the caller to forward.
    assert.equal(call.guest.invitation.state, 'not_sent');
    assert.equal(call.guest.invitation.reason, 'outside_window');
    assert.match(call.guest.invitation.forwardLink ?? '', /^https:\/\/wa\.me\/573004445566\?text=/);
    assert.equal(call.status, 'created');
  });

  it('invites the guest on WhatsApp inside their window, and by the line’s template outside it', async (t) => {
    const { app, key, wrote } = await start(t, { WHATSAPP_INVITE_TEMPLATE: 'invitacion' });
    const { auth } = await key();
    await wrote(LUIS);
    const before = graph.sendsTo(LUIS).length;
    const inWindow = (
      await app.inject({ method: 'POST', url: '/api/v1/calls', headers: auth, payload: SMALLEST })
    ).json<Call>();
    assert.deepEqual(inWindow.guest.invitation, { state: 'queued', via: 'window' });
    const [sent] = await eventually(
      () => graph.sendsTo(LUIS).length > before && graph.sendsTo(LUIS).slice(before),
    );
    assert.match(JSON.stringify(sent?.body), /Clínica Norte te invita/);
    const outside = { ...SMALLEST, guest: { phone: '+573007778899' } };
    const templated = (
      await app.inject({ method: 'POST', url: '/api/v1/calls', headers: auth, payload: outside })
    ).json<Call>();
    assert.deepEqual(templated.guest.invitation, { state: 'queued', via: 'template' });
    // Once sent, reading the call says so.
    const read = await eventually(async () => {
      const call = (await app.inject({ url: `/api/v1/calls/${inWindow.id}`, headers: auth })).json<Call>();
      return call.guest.invitation.state === 'sent' && call;
    });
    assert.equal(read.status, 'invited');
    assert.equal((read as Partial<Call>).links, undefined, 'links are shown only when the call is created');
  });

  it('names every bad field, and refuses a line or number it cannot use', async (t) => {
    const { app, key } = await start(t);
    const { auth } = await key();
    const post = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/calls', headers: auth, payload });
    const bad = await post({ host: {}, guest: { name: 'x' }, expiresIn: 5, extra: true });
    assert.equal(bad.statusCode, 422);
    const { code, message } = bad.json<{ code: string; message: string }>();
    assert.equal(code, 'API_REQUEST_INVALID');
    for (const field of ['host.name', 'guest.phone', 'expiresIn']) assert.match(message, new RegExp(field));
    assert.match(message, /extra/);
    assert.equal((await post({ ...SMALLEST, guest: { phone: '12' } })).statusCode, 422);
    assert.equal(
      (await post({ ...SMALLEST, line: 'sur' })).json<{ code: string }>().code,
      'API_REQUEST_INVALID',
    );
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"host":',
    });
    assert.equal(notJson.statusCode, 400);
  });
});

describe('the REST API: keys, scopes and limits', () => {
  it('answers 401 without a key, with a wrong or revoked key, never saying which', async (t) => {
    const { app, key } = await start(t);
    const { id, auth } = await key();
    const get = (headers: Record<string, string>) => app.inject({ url: '/api/v1/calls', headers });
    assert.equal((await get({})).json<{ code: string }>().code, 'API_KEY_MISSING');
    const wrong = await get({ authorization: `${auth.authorization.slice(0, -4)}AAAA` });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json<{ code: string }>().code, 'API_KEY_INVALID');
    assert.equal(
      (await get({ authorization: 'Bearer nonsense' })).json<{ code: string }>().code,
      'API_KEY_INVALID',
    );
    assert.equal((await get(auth)).statusCode, 200);
    await app.storage.apiKeys.revoke(id, Date.now());
    assert.equal((await get(auth)).json<{ code: string }>().code, 'API_KEY_INVALID');
  });

  it('lets a read key read but not create, and a key limited to a line see only that line', async (t) => {
    const { app, key } = await start(t);
    const writer = await key();
    const reader = await key(['read']);
    const elsewhere = await key(['write'], ['norte']);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers: writer.auth,
      payload: SMALLEST,
    });
    const { id } = created.json<Call>();
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers: reader.auth,
      payload: SMALLEST,
    });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json<{ code: string }>().code, 'API_SCOPE_MISSING');
    assert.equal((await app.inject({ url: `/api/v1/calls/${id}`, headers: reader.auth })).statusCode, 200);
    // Another line's call and a call that does not exist look the same.
    const hidden = await app.inject({ url: `/api/v1/calls/${id}`, headers: elsewhere.auth });
    const missing = await app.inject({ url: `/api/v1/calls/${'x'.repeat(22)}`, headers: reader.auth });
    assert.deepEqual([hidden.statusCode, missing.statusCode], [404, 404]);
    assert.deepEqual(hidden.json(), missing.json());
  });

  it('limits each key’s requests per minute (429 with Retry-After), not another key’s', async (t) => {
    const { app, key } = await start(t, { API_RATE_LIMIT_PER_MINUTE: '3' });
    const first = await key(['read']);
    const second = await key(['read']);
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await app.inject({ url: '/api/v1/calls', headers: first.auth })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const limited = await app.inject({ url: '/api/v1/calls', headers: first.auth });
    assert.equal(limited.json<{ code: string }>().code, 'API_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await app.inject({ url: '/api/v1/calls', headers: second.auth })).statusCode, 200);
  });
});
