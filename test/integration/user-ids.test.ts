import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { cloudConfig, eventually, startApp } from '../helpers/test-app.js';
import { messageId, notification, signed, TEST_APP_SECRET } from '../helpers/webhook-payloads.js';

// People who use a WhatsApp username: Meta names them by their business-scoped user id (BSUID) and may leave
// their number out. Against the fake Graph API, which takes `recipient` for them as Meta does and reports on
// such sends with recipient_user_id.

const ANA_ID = 'CO.13491208655302741918';
const LUIS_ID = 'CO.20574319866413852029';
const EVA_ID = 'CO.31685420977524963130';
const EVA = '573007778899';

async function start(t: TestContext) {
  const graph = await FakeGraphApi.start();
  t.after(() => graph.close());
  const app = await startApp(t, cloudConfig(graph.baseUrl));
  await app.listen({ port: 0, host: '127.0.0.1' });
  graph.reportStatusesTo(
    `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhook`,
    TEST_APP_SECRET,
  );
  return { graph, app };
}

/** A message as Meta sends it: `from` only when the person shows their number. */
function inbound(
  who: { userId: string; number?: string; name: string },
  content: Record<string, unknown>,
  atMs = Date.now(),
) {
  const message = {
    ...(who.number !== undefined && { from: who.number }),
    from_user_id: who.userId,
    id: messageId(),
    timestamp: String(Math.floor(atMs / 1000)),
    ...content,
  };
  const profile = {
    profile: { name: who.name },
    user_id: who.userId,
    ...(who.number !== undefined && { wa_id: who.number }),
  };
  return notification([message], { contacts: [profile] });
}

const text = (body: string) => ({ type: 'text', text: { body } });

async function deliver(app: Awaited<ReturnType<typeof start>>['app'], payload: object) {
  const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(payload) });
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.json<{ handled: number }>().handled, 1);
}

describe('people known by their user id (usernames)', () => {
  it('takes a person without a number through the whole invitation, by user id', async (t) => {
    const { graph, app } = await start(t);
    const ana = { userId: ANA_ID, name: 'Ana' };
    const luis = { userId: LUIS_ID, name: 'Luis' };
    // Luis writes first: his window is open, under his user id.
    await deliver(app, inbound(luis, text('hola')));
    await eventually(() => graph.sendsTo(LUIS_ID).length === 1);
    assert.equal(graph.sendsTo(LUIS_ID)[0]?.body.to, undefined, 'sent with recipient, not to');
    // Ana shares Luis's contact card, which carries only his user id.
    await deliver(
      app,
      inbound(ana, {
        type: 'contacts',
        contacts: [{ name: { formatted_name: 'Luis' }, phones: [{ user_id: LUIS_ID, type: 'CELL' }] }],
      }),
    );
    const [invitation] = await eventually(() => {
      const sends = graph.sendsTo(LUIS_ID).slice(1);
      return sends.length === 1 && sends;
    });
    assert.equal(invitation?.body.recipient, LUIS_ID);
    assert.match(JSON.stringify(invitation?.body), /Ana te invita/);
    const [link] = await eventually(() => graph.sendsTo(ANA_ID).length === 1 && graph.sendsTo(ANA_ID));
    assert.match(JSON.stringify(link?.body), /\/room\//);
    // Meta's status for a send to a user id names it in recipient_user_id: matched all the same.
    const invited = await eventually(async () => {
      const entry = await app.storage.outbox.get(`${String(invitation?.body.biz_opaque_callback_data)}`);
      return entry?.delivery === 'sent' && entry;
    });
    assert.equal(invited.to, LUIS_ID);
    // Luis cannot make it: Ana is told, by her user id.
    await deliver(app, inbound(luis, text('no puedo')));
    await eventually(() => graph.sendsTo(ANA_ID).some((send) => /Luis/.test(JSON.stringify(send.body))));
  });

  it('gives the inviter the link itself to pass on to someone known only by user id who never wrote', async (t) => {
    const { graph, app } = await start(t);
    await deliver(
      app,
      inbound(
        { userId: ANA_ID, name: 'Ana' },
        {
          type: 'contacts',
          contacts: [{ name: { formatted_name: 'Luis' }, phones: [{ user_id: LUIS_ID }] }],
        },
      ),
    );
    await eventually(() => graph.sendsTo(ANA_ID).length === 2);
    const passOn = JSON.stringify(graph.sendsTo(ANA_ID)[1]?.body);
    // wa.me opens chats by number only: the invitee's own room link, not the short forward link.
    assert.match(passOn, /Luis usa un nombre de usuario/);
    assert.match(passOn, /\/room\/[\w-]{22}#k=[\w-]{22}/);
    assert.equal(graph.sendsTo(LUIS_ID).length, 0, 'nothing free-form outside his window');
  });

  it('lets a person without a number invite by number, read in their user id’s country', async (t) => {
    const { graph, app } = await start(t);
    await deliver(app, inbound({ userId: ANA_ID, name: 'Ana' }, text('videollamada 300 444 5566')));
    // Luis never wrote: Ana gets her link and the one to forward; the room names Luis's number.
    await eventually(() => graph.sendsTo(ANA_ID).length === 2);
    const forward = JSON.stringify(graph.sendsTo(ANA_ID)[1]?.body);
    const shortLink = /\/i\/([\w-]{22})\?k=/.exec(forward);
    assert.ok(shortLink, forward);
    const room = await app.storage.rooms.get(shortLink[1] ?? '');
    assert.deepEqual(
      room?.seats.map((seat) => seat.waId),
      [ANA_ID, '573004445566'],
    );
  });

  it('links a number and a user id given together: the window follows the person by either', async (t) => {
    const { graph, app } = await start(t);
    // Eva wrote 30 hours ago showing her number, then today by user id only.
    const longAgo = Date.now() - 30 * 3_600_000;
    await deliver(app, inbound({ userId: EVA_ID, number: EVA, name: 'Eva' }, text('hola'), longAgo));
    await deliver(app, inbound({ userId: EVA_ID, name: 'Eva' }, text('hola de nuevo')));
    // The help text back, to her number the first time and to her user id the second.
    await eventually(() => graph.sendsTo(EVA).length === 1 && graph.sendsTo(EVA_ID).length === 1);
    // Ana invites Eva by number: her window is open (today's message, under her user id).
    const ana = { userId: ANA_ID, number: '573001112233', name: 'Ana' };
    await deliver(app, inbound(ana, text(`videollamada +${EVA}`)));
    const [invitation] = await eventually(
      () => graph.sendsTo(EVA).length === 2 && graph.sendsTo(EVA).slice(1),
    );
    assert.equal(invitation?.body.type, 'text', 'free-form inside the window: no template was needed');
    assert.match(JSON.stringify(invitation?.body), /\/room\//);
  });
});
