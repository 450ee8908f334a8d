import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { after, before, describe, it } from 'node:test';
import { FakeGraphApi, type RecordedSend } from '../fakes/fake-graph-api.js';
import { cloudConfig, eventually, startApp } from '../helpers/test-app.js';
import {
  notification,
  signed,
  TEST_APP_SECRET,
  TEST_PHONE_NUMBER_ID,
  textMessage,
} from '../helpers/webhook-payloads.js';

// Two business numbers in one process, against the fake Graph API: "main" (the payloads' usual number, with
// an invitation template) and "norte" (another Meta app: its own token and app secret, no template, one
// invitation per sender per hour).

const ANA = '573001112233';
const LUIS = '573004445566';
const EVA = '573007778899';
const NORTE = '111111111111111';
const NORTE_SECRET = 'norte-app-secret';

let graph: FakeGraphApi;
before(async () => {
  graph = await FakeGraphApi.start();
});
after(() => graph.close());

function twoLines(norte: Record<string, unknown> = {}) {
  return cloudConfig(graph.baseUrl, {
    WABA_PHONE_NUMBER_ID: '',
    WHATSAPP_LINES_JSON: JSON.stringify([
      {
        id: 'main',
        phoneNumberId: TEST_PHONE_NUMBER_ID,
        inviteTemplate: { name: 'invitacion_main', language: 'es' },
      },
      {
        id: 'norte',
        phoneNumberId: NORTE,
        displayName: 'Clínica Norte',
        token: 'token-norte',
        appSecret: NORTE_SECRET,
        inviteTemplate: null,
        invitesPerSenderPerHour: 1,
        ...norte,
      },
    ]),
  });
}

async function start(t: TestContext, norte: Record<string, unknown> = {}) {
  return startApp(t, twoLines(norte));
}

type App = Awaited<ReturnType<typeof start>>;

/** `from` writes `text` to the line with `phoneNumberId`, signed with that line's app secret. */
async function write(app: App, from: string, text: string, phoneNumberId = TEST_PHONE_NUMBER_ID) {
  const secret = phoneNumberId === NORTE ? NORTE_SECRET : TEST_APP_SECRET;
  const payload = notification([textMessage(from, text)], { phoneNumberId });
  const response = await app.inject({ method: 'POST', url: '/webhook', ...signed(payload, secret) });
  assert.equal(response.statusCode, 200, response.body);
}

const lineOf = (send: RecordedSend) => (send.path.includes(`/${NORTE}/`) ? 'norte' : 'main');

/** The sends to `to` after the first `skip`, once `count` have arrived. */
async function sendsTo(to: string, count: number, skip = 0): Promise<RecordedSend[]> {
  return eventually(() => {
    const sends = graph.sendsTo(to).slice(skip);
    return sends.length >= count && sends;
  });
}

describe('several business numbers (lines) in one process', () => {
  it('answers from the number the person wrote to, with that number’s token', async (t) => {
    const app = await start(t);
    const before = graph.sendsTo(ANA).length;
    await write(app, ANA, 'hola', NORTE);
    await write(app, ANA, 'hola');
    const [first, second] = await sendsTo(ANA, 2, before);
    const byLine = new Map([first, second].map((send) => [lineOf(send!), send!]));
    assert.equal(byLine.get('norte')?.authorization, 'Bearer token-norte');
    assert.equal(byLine.get('main')?.authorization, 'Bearer test-token');
    const metrics = await app.inject({ url: '/metrics' });
    assert.match(metrics.body, /wwb_webhook_messages_total\{line="norte",outcome="handled"\} 1/);
    assert.match(metrics.body, /wwb_webhook_messages_total\{line="main",outcome="handled"\} 1/);
  });

  it('accepts a webhook signed with any line’s app secret, and no other', async (t) => {
    const app = await start(t);
    const payload = notification([textMessage(ANA, 'hola')], { phoneNumberId: NORTE });
    const forged = await app.inject({ method: 'POST', url: '/webhook', ...signed(payload, 'not-a-secret') });
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.json<{ code: string }>().code, 'WEBHOOK_SIGNATURE_INVALID');
    // The main app's secret signs it too: one app may hold several numbers.
    const main = await app.inject({ method: 'POST', url: '/webhook', ...signed(payload, TEST_APP_SECRET) });
    assert.equal(main.statusCode, 200);
  });

  it('keeps each person’s 24-hour window per line: a chat with one number opens nothing on the other', async (t) => {
    const app = await start(t);
    await write(app, LUIS, 'hola');
    const luisBefore = graph.sendsTo(LUIS).length + 1; // the help text back
    await sendsTo(LUIS, luisBefore);
    const anaBefore = graph.sendsTo(ANA).length;
    // On norte Luis never wrote, and norte has no template: Ana gets the link to forward instead.
    await write(app, ANA, `videollamada +${LUIS}`, NORTE);
    const norteReplies = await sendsTo(ANA, 2, anaBefore);
    assert.ok(norteReplies.every((send) => lineOf(send) === 'norte'));
    // On main Luis's window is open: he gets the invitation button from main.
    await write(app, ANA, `videollamada +${LUIS}`);
    const [invitation] = await sendsTo(LUIS, 1, luisBefore);
    assert.equal(lineOf(invitation!), 'main');
    // Free-form (a link; a button on https), not the template: the window is open.
    assert.equal(invitation!.body.type, 'text');
    assert.match(JSON.stringify(invitation!.body), /\/room\//);
    await app.outboxWorker.stop();
    assert.equal(graph.sendsTo(LUIS).length, luisBefore + 1, 'nothing reached Luis from norte');
  });

  it('invites by each line’s template: main’s, and none on the line that has none', async (t) => {
    const app = await start(t);
    const evaBefore = graph.sendsTo(EVA).length;
    await write(app, ANA, `videollamada +${EVA}`);
    const [template] = await sendsTo(EVA, 1, evaBefore);
    assert.equal(lineOf(template!), 'main');
    assert.equal((template!.body.template as { name: string }).name, 'invitacion_main');
    await write(app, ANA, `videollamada +${EVA}`, NORTE);
    await eventually(async () => (await app.storage.outbox.nextDueAtMs()) === undefined);
    await app.outboxWorker.stop();
    assert.equal(graph.sendsTo(EVA).length, evaBefore + 1, 'norte has no template: Eva is not messaged');
  });

  it('counts each line’s limits apart: norte’s one invitation an hour leaves main’s ten', async (t) => {
    const app = await start(t);
    await write(app, ANA, `videollamada +${LUIS}`, NORTE);
    await write(app, ANA, `videollamada +${EVA}`, NORTE);
    await write(app, ANA, `videollamada +${EVA}`);
    await eventually(async () => (await app.storage.outbox.nextDueAtMs()) === undefined);
    const rooms = await Promise.all(
      ['main', 'norte'].map((line) => app.storage.rooms.countCreatedBy(ANA, 0, line)),
    );
    assert.deepEqual(rooms, [1, 1], 'the second call on norte was refused, the one on main was not');
    const metrics = await app.inject({ url: '/metrics' });
    assert.match(metrics.body, /wwb_rooms_created_total\{line="norte"\} 1/);
    assert.match(metrics.body, /wwb_rooms_created_total\{line="main"\} 1/);
  });

  it('sends under each line’s own throughput cap', async (t) => {
    // Norte may send almost nothing; main is not slowed by it.
    const app = await start(t, { maxSendsPerSecond: 0.001 });
    const before = graph.sendsTo(ANA).length;
    await write(app, ANA, 'hola', NORTE);
    await write(app, ANA, 'hola');
    const [sent] = await sendsTo(ANA, 1, before);
    assert.equal(lineOf(sent!), 'main');
    await app.outboxWorker.stop();
    assert.equal(graph.sendsTo(ANA).length, before + 1);
    assert.notEqual(await app.storage.outbox.nextDueAtMs('norte'), undefined, 'norte’s reply waits its turn');
    assert.equal(await app.storage.outbox.nextDueAtMs('main'), undefined);
  });
});
