import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { FakeGraphApi, graphError } from '../fakes/fake-graph-api.js';
import type { AppDependencies } from '../../src/app.js';
import { cloudConfig, eventually, FAST_OUTBOX, startApp } from '../helpers/test-app.js';
import { notification, signed, TEST_APP_SECRET, textMessage } from '../helpers/webhook-payloads.js';

const ANA = '573001112233';
const LUIS = '573004445566';

async function setUp(
  t: TestContext,
  env: Record<string, string> = {},
  statusCopies = 1,
  outboxWorker: AppDependencies['outboxWorker'] = {},
) {
  const graph = await FakeGraphApi.start();
  const app = await startApp(t, cloudConfig(graph.baseUrl, env), {
    outboxWorker: { ...FAST_OUTBOX, ...outboxWorker },
  });
  t.after(() => graph.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  graph.reportStatusesTo(
    `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhook`,
    TEST_APP_SECRET,
    statusCopies,
  );
  return { graph, app };
}

async function wrote(app: FastifyInstance, person: string): Promise<void> {
  const atMs = Date.now() - 60_000;
  await app.storage.ledger.commit(
    `window-${person}`,
    { rooms: [], messages: [], inbound: { person, line: 'main', atMs } },
    atMs,
  );
}

async function invite(app: FastifyInstance, from = ANA, to = '+57 300 444 5566', id?: string) {
  const response = await app.inject({
    method: 'POST',
    url: '/webhook',
    ...signed(notification([textMessage(from, `videollamada ${to}`, id)])),
  });
  assert.equal(response.statusCode, 200);
}

/** Follows the short forward link written at the end of `text`; returns where it redirects. */
async function followForwardLink(app: FastifyInstance, text: string): Promise<URL> {
  const short = new URL(/https?:\/\/\S+\/i\/\S+$/.exec(text)?.[0] ?? 'http://missing/');
  const response = await app.inject({ url: short.pathname + short.search });
  assert.equal(response.statusCode, 302);
  return new URL(String(response.headers.location));
}

function bodyText(send: { body: Record<string, unknown> } | undefined): string {
  const body = send?.body as
    { text?: { body: string }; interactive?: { body: { text: string } } } | undefined;
  return body?.text?.body ?? body?.interactive?.body.text ?? '';
}

describe('invitations on the Cloud API', () => {
  it('never sends free-form text to an invitee who never wrote; the inviter gets a short link that opens wa.me', async (t) => {
    const { graph, app } = await setUp(t);
    await invite(app);
    await eventually(() => graph.sendsTo(ANA).length === 2);
    await graph.statusesDelivered();
    await app.outboxWorker.stop();
    assert.equal(graph.sendsTo(LUIS).length, 0);
    const forward = await followForwardLink(app, bodyText(graph.sendsTo(ANA)[1]));
    assert.equal(forward.origin + forward.pathname, 'https://wa.me/573004445566');
    assert.match(
      forward.searchParams.get('text') ?? '',
      /^Ana \(\+57 300 1112233\) te invita a una videollamada/,
    );
  });

  it('sends the approved template to an invitee outside the window', async (t) => {
    const { graph, app } = await setUp(t, { WHATSAPP_INVITE_TEMPLATE: 'videollamada_invitacion' });
    await invite(app);
    await eventually(() => graph.sendsTo(LUIS).length === 1);
    const sent = graph.sendsTo(LUIS)[0]!.body as { type: string; template: { name: string } };
    assert.equal(sent.type, 'template');
    assert.equal(sent.template.name, 'videollamada_invitacion');
  });

  for (const [code, reason] of [
    [131047, /no le ha escrito a este número en las últimas 24 horas/],
    [131026, /ese número no puede recibir mensajes de WhatsApp/],
  ] as const) {
    it(`tells the inviter exactly once when Meta reports the invitation failed (${code}), despite duplicate reports`, async (t) => {
      const { graph, app } = await setUp(t, {}, 3);
      await wrote(app, LUIS);
      graph.script(LUIS, { failWith: code });
      await invite(app);
      await eventually(() => graph.sendsTo(ANA).length === 2, { what: 'the link and one notice' });
      await graph.statusesDelivered();
      await app.outboxWorker.stop();
      const notices = graph.sendsTo(ANA).slice(1);
      assert.equal(notices.length, 1);
      assert.match(bodyText(notices[0]), /Tu invitación no le llegó a \+57 300 4445566: /);
      assert.match(bodyText(notices[0]), reason);
      const forward = await followForwardLink(app, bodyText(notices[0]));
      assert.equal(forward.pathname, '/573004445566');
      const invitation = graph.sendsTo(LUIS)[0]!;
      const entry = await app.storage.outbox.get(String(invitation.body.biz_opaque_callback_data));
      assert.equal(entry?.delivery, 'failed');
      assert.equal(entry?.deliveryError, code);
    });
  }

  it('tells the inviter once when the send itself fails for good (131030), without retrying', async (t) => {
    const { graph, app } = await setUp(t);
    await wrote(app, LUIS);
    graph.script(LUIS, graphError(131030, '(#131030) Recipient phone number not in allowed list'));
    await invite(app);
    await eventually(() => graph.sendsTo(ANA).length === 2);
    await graph.statusesDelivered();
    await app.outboxWorker.stop();
    assert.equal(graph.sendsTo(LUIS).length, 1);
    assert.match(bodyText(graph.sendsTo(ANA)[1]), /número del bot es de pruebas/);
  });

  it('keeps what WhatsApp reported about each message with its room', async (t) => {
    const { graph, app } = await setUp(t);
    await wrote(app, LUIS);
    await invite(app);
    await eventually(() => graph.accepted.length === 2);
    await graph.statusesDelivered();
    for (const send of graph.accepted) {
      const entry = await app.storage.outbox.get(String(send.body.biz_opaque_callback_data));
      assert.equal(entry?.state, 'sent');
      assert.equal(entry?.delivery, 'sent');
      assert.ok(entry?.roomId);
    }
  });

  it('sends nothing extra for 1,000 duplicate deliveries, sequential and concurrent', async (t) => {
    const { graph, app } = await setUp(t);
    await wrote(app, LUIS);
    const delivery = signed(notification([textMessage(ANA, 'videollamada +57 300 444 5566')]));
    for (let i = 0; i < 500; i++) await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    await Promise.all(
      Array.from({ length: 500 }, () => app.inject({ method: 'POST', url: '/webhook', ...delivery })),
    );
    await eventually(() => graph.accepted.length >= 2);
    await graph.statusesDelivered();
    await app.outboxWorker.stop();
    assert.equal(graph.sends.length, 2);
  });

  it('delivers every invitation exactly once after an outage of 500s and 429s', async (t) => {
    // Retries keep going through the outage: backoff up to 1 s, as many attempts as it takes.
    const { graph, app } = await setUp(t, {}, 1, { maxAttempts: 1_000, retryMaxDelayMs: 1_000 });
    // CHAOS_OUTAGE_MS=60000 runs the full minute-long outage; the default keeps the suite quick.
    const outageMs = Number(process.env.CHAOS_OUTAGE_MS ?? 1_500);
    graph.outage(Date.now() + outageMs);
    const count = 40;
    for (let i = 0; i < count; i++)
      await invite(app, `5731000000${String(i).padStart(2, '0')}`, '+57 300 444 5566');
    // Each inviter gets two messages (the invitee never wrote): their link, and the one to forward.
    await eventually(() => graph.accepted.length === count * 2, {
      timeoutMs: outageMs + 15_000,
      what: 'every message accepted',
    });
    await graph.statusesDelivered();
    await app.outboxWorker.stop();
    const ids = graph.accepted.map((send) => String(send.body.biz_opaque_callback_data));
    assert.equal(new Set(ids).size, count * 2, 'each once');
    const retried = graph.sends.length - graph.accepted.length;
    assert.ok(retried > 0, 'the outage was felt');
    t.diagnostic(
      `outage ${outageMs} ms: ${count} invitations, ${retried} failed attempts retried, 0 lost, 0 duplicated`,
    );
  });

  it('lets the invitee decline with the template’s quick-reply button; the inviter is told once', async (t) => {
    const { graph, app } = await setUp(t, {
      WHATSAPP_INVITE_TEMPLATE: 'videollamada_invitacion',
      WHATSAPP_INVITE_TEMPLATE_DECLINE_BUTTON_INDEX: '1',
    });
    await invite(app);
    await eventually(() => graph.sendsTo(LUIS).length === 1);
    const template = graph.sendsTo(LUIS)[0]!.body as {
      template: { components: { sub_type?: string; parameters: { payload?: string }[] }[] };
    };
    const quickReply = template.template.components.find((c) => c.sub_type === 'quick_reply');
    const payload = quickReply?.parameters[0]?.payload ?? '';
    assert.match(payload, /^decline:[\w-]{22}$/);
    for (const id of ['wamid.TAP.1', 'wamid.TAP.2']) {
      const tap = {
        from: LUIS,
        id,
        timestamp: '1764547400',
        type: 'button',
        button: { payload, text: 'No puedo' },
      };
      await app.inject({ method: 'POST', url: '/webhook', ...signed(notification([tap], { name: 'Luis' })) });
    }
    await eventually(() => graph.sendsTo(ANA).length === 2, { what: 'the link and one decline notice' });
    await eventually(() => graph.sendsTo(LUIS).length === 3, { what: 'two acknowledgements' });
    await graph.statusesDelivered();
    await app.outboxWorker.stop();
    assert.equal(graph.sendsTo(ANA).length, 2);
    assert.match(
      bodyText(graph.sendsTo(ANA)[1]),
      /^Luis \(\+57 300 4445566\) no puede unirse a la videollamada ahora/,
    );
  });
});
