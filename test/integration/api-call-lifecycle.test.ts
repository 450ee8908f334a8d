import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { runKeysCommand } from '../../src/api/keys-command.js';
import { createStorage } from '../../src/storage/storage.js';
import { apiKeyFor, eventually, startApp, testConfig } from '../helpers/test-app.js';

// The REST API over a call's life: the same request twice (idempotency), pages of calls, joins, cancelling;
// the OpenAPI document; and the keys command.

const LUIS = '573004445566';
const BODY = { host: { name: 'Clínica Norte' }, guest: { phone: '+573004445566', name: 'Luis' } };
type Call = { id: string; status: string; links: { host: string; guest: string } };

async function start(t: TestContext) {
  const app = await startApp(t, testConfig());
  const headers = (await apiKeyFor(app)).auth;
  const create = (payload: object = BODY, extra: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/calls', headers: { ...headers, ...extra }, payload });
  return { app, headers, create };
}

describe('the REST API over a call’s life', () => {
  it('returns the same call for the same Idempotency-Key and body, even at the same moment', async (t) => {
    const { app, create, headers } = await start(t);
    const once = { 'idempotency-key': 'booking-1842' };
    const [a, b, c] = await Promise.all([create(BODY, once), create(BODY, once), create(BODY, once)]);
    const calls = [a, b, c].map((response) => {
      assert.equal(response?.statusCode, 201, response?.body);
      return response?.json<Call>();
    });
    assert.equal(new Set(calls.map((call) => call?.id)).size, 1, 'one call');
    assert.equal(new Set(calls.map((call) => call?.links.guest)).size, 1, 'the same links');
    const later = await create(BODY, once);
    assert.equal(later.headers['idempotent-replayed'], 'true');
    assert.equal(later.json<Call>().id, calls[0]?.id);
    const page = (await app.inject({ url: '/api/v1/calls', headers })).json<{ calls: Call[] }>();
    assert.equal(page.calls.length, 1, 'one room stored');
    const other = await create({ ...BODY, guest: { phone: '+573007778899' } }, once);
    assert.equal(other.statusCode, 422);
    assert.equal(other.json<{ code: string }>().code, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('pages through calls newest first with a cursor, and filters by status', async (t) => {
    const { app, create, headers } = await start(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create()).json<Call>().id);
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = (
        await app.inject({ url: `/api/v1/calls?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers })
      ).json<{ calls: Call[]; nextCursor?: string }>();
      sizes.push(page.calls.length);
      seen.push(...page.calls.map((call) => call.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    assert.deepEqual(sizes, [2, 2, 1]);
    assert.deepEqual(new Set(seen), new Set(ids));
    await app.inject({ method: 'POST', url: `/api/v1/calls/${ids[1]}/cancel`, headers });
    const cancelled = (await app.inject({ url: '/api/v1/calls?status=cancelled', headers })).json<{
      calls: Call[];
    }>();
    assert.deepEqual(
      cancelled.calls.map((call) => call.id),
      [ids[1]],
    );
    const bad = await app.inject({ url: '/api/v1/calls?cursor=nonsense', headers });
    assert.equal(bad.json<{ code: string }>().code, 'API_REQUEST_INVALID');
  });

  it('says who joined, and cancels: the links stop working, and the guest who got one is told', async (t) => {
    const { app, create, headers } = await start(t);
    await app.storage.ledger.commit(
      'luis-wrote',
      { rooms: [], messages: [], inbound: { person: LUIS, line: 'main', atMs: Date.now() - 60_000 } },
      Date.now(),
    );
    const call = (await create()).json<Call>();
    await app.storage.rooms.markJoined(call.id, 1, Date.now());
    const read = (await app.inject({ url: `/api/v1/calls/${call.id}`, headers })).json<
      Call & { guest: { joinedAt?: string } }
    >();
    assert.equal(read.status, 'joined');
    assert.ok(read.guest.joinedAt);
    await eventually(async () => (await app.storage.outbox.get(`api:${call.id}:guest`))?.state === 'sent');

    const cancel = await app.inject({ method: 'POST', url: `/api/v1/calls/${call.id}/cancel`, headers });
    assert.equal(cancel.statusCode, 200);
    assert.equal(cancel.json<Call>().status, 'cancelled');
    const again = await app.inject({ method: 'POST', url: `/api/v1/calls/${call.id}/cancel`, headers });
    assert.equal(again.json<{ code: string }>().code, 'CALL_NOT_CANCELLABLE');
    // The page says so, and the room refuses the link.
    const page = await app.inject({ url: `/room/${call.id}`, headers: { 'accept-language': 'es' } });
    assert.equal(page.statusCode, 410);
    assert.match(page.body, /Esta videollamada se canceló/);
    const seatKey = new URL(call.links.guest).hash.slice(3);
    const room = await app.inject({
      url: `/api/rooms/${call.id}`,
      headers: { authorization: `Bearer ${seatKey}` },
    });
    assert.equal(room.json<{ code: string }>().code, 'ROOM_CANCELLED');
    const notice = await eventually(async () => app.storage.outbox.get(`api:${call.id}:guest:cancelled`));
    assert.match(JSON.stringify(notice.content), /Clínica Norte canceló la videollamada/);
  });

  it('publishes an OpenAPI 3.1 document made from the schemas, and a page to read it', async (t) => {
    const { app } = await start(t);
    const document = (await app.inject({ url: '/api/v1/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { required?: string[] }> };
    }>();
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/api/v1/calls',
      '/api/v1/calls/{id}',
      '/api/v1/calls/{id}/cancel',
      '/api/v1/calls/{id}/reschedule',
    ]);
    assert.deepEqual(document.components.schemas.CreateCall?.required, ['host', 'guest']);
    assert.deepEqual(document.components.schemas.RescheduleCall?.required, ['startsAt']);
    const page = await app.inject({ url: '/api/v1/docs' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /POST \/api\/v1\/calls\/\{id\}\/cancel/);
  });
});

describe('npm run keys', () => {
  it('creates a key shown once, lists keys without secrets, and revokes one', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    const lines = testConfig().lines;
    const run = (...args: string[]) => runKeysCommand(args, { keys: storage.apiKeys, lines, nowMs: 1_000 });
    const created = await run('create', '--name', 'crm', '--scope', 'read');
    assert.equal(created.status, 0);
    const key = /^(wwb_([a-z0-9]{10})_\S+)$/m.exec(created.output);
    assert.ok(key, created.output);
    const listed = await run('list');
    assert.match(listed.output, new RegExp(`${key[2]}  crm  read  lines: all`));
    assert.ok(!listed.output.includes(key[1] as string), 'the secret is never shown again');
    assert.equal((await run('revoke', key[2] as string)).status, 0);
    assert.equal((await run('revoke', key[2] as string)).status, 1);
    assert.match((await run('list')).output, /revoked 1970/);
    assert.equal((await run('create', '--name', 'x', '--line', 'sur')).status, 64);
    assert.equal((await run('create')).status, 64);
    assert.equal((await run('frobnicate')).status, 64);
    await storage.close();
  });
});
