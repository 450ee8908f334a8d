import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallRow, LineNow, StatsAnswer, TimelineEntry } from '../../src/protocol/dashboard.js';
import { TestPeer } from '../helpers/signaling-client.js';
import { apiKeyFor, eventually, startApp, testConfig } from '../helpers/test-app.js';
import { notification, signed, textMessage } from '../helpers/webhook-payloads.js';
import { operator } from '../helpers/operator.js';

// The dashboard's figures for calls made through the service itself: an API call that two people join,
// connect (through TURN) and hang up five minutes later; a WhatsApp call whose invitation WhatsApp fails.

const ANA = '573001112233';
const LUIS = '573004445566';
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('the dashboard’s figures', () => {
  it('shows a call in "now" while it lasts, then in the plots, the table, its timeline and the CSV', async (t) => {
    const start = Date.UTC(2026, 10, 30, 15);
    let clock = start;
    const app = await startApp(t, testConfig(), { now: () => clock });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { cookie } = await operator(app);
    const get = <T>(url: string) =>
      app.inject({ url, headers: { cookie } }).then((response) => {
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
        return response.json<T>();
      });

    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/calls',
      headers: (await apiKeyFor(app)).auth,
      payload: { host: { name: 'Clínica Norte' }, guest: { phone: '+573004445566', name: 'Luis' } },
    });
    assert.equal(created.statusCode, 201, created.body);
    const call = created.json<{ id: string; links: { host: string; guest: string } }>();
    const key = (link: string) => new URL(link).hash.slice('#k='.length);

    clock = start + 60_000;
    const host = await TestPeer.connect(app, call.id, key(call.links.host), { userAgent: ANDROID_CHROME });
    await host.next('joined');
    clock = start + 90_000;
    const guest = await TestPeer.connect(app, call.id, key(call.links.guest), { userAgent: IPHONE_SAFARI });
    await guest.next('joined');
    clock = start + 92_000;
    host.send({ type: 'connected', setupMs: 1_800, path: 'relay' });
    guest.send({ type: 'connected', setupMs: 1_200, path: 'direct' });

    const now = await eventually(
      async () => {
        const answer = await get<{ lines: LineNow[] }>('/admin/api/now');
        return answer.lines[0]?.inCall === 1 ? answer.lines : undefined;
      },
      { what: 'the call in progress' },
    );
    assert.deepEqual(now, [{ line: 'main', waiting: 0, inCall: 1, relayed: 1, backlog: 0 }]);

    clock = start + 392_000;
    host.send({ type: 'leave' });
    const [row] = await eventually(
      async () => {
        const page = await get<{ calls: CallRow[] }>('/admin/api/calls?range=today&tz=0');
        return page.calls[0]?.status === 'ended' ? page.calls : undefined;
      },
      { what: 'the call to end' },
    );
    assert.equal(row?.id, call.id);
    assert.equal(row?.source, 'api');
    assert.equal(row?.guest, '57******5566');
    assert.equal(row?.guestName, 'Luis');
    assert.equal(row?.hostName, 'Clínica Norte');
    assert.deepEqual([row?.connectedAtMs, row?.setupMs, row?.path], [start + 92_000, 1_800, 'relay']);
    assert.deepEqual([row?.durationMs, row?.endedBy], [300_000, 'host']);
    assert.deepEqual(row?.agents, {
      host: { browser: 'Chrome', platform: 'Android' },
      guest: { browser: 'Safari', platform: 'iOS' },
    });

    const stats = await get<StatsAnswer>('/admin/api/stats?range=today&tz=0');
    assert.deepEqual(stats.totals, {
      created: 1,
      connected: 1,
      failed: 0,
      declined: 0,
      cancelled: 0,
      relayed: 1,
    });
    assert.equal(stats.bucketMs, 3_600_000);
    assert.equal(stats.from, new Date(Date.UTC(2026, 10, 30)).toISOString());
    assert.deepEqual(stats.series, [{ startMs: start, created: 1, connected: 1, failed: 0 }]);
    assert.deepEqual(stats.setup, [0, 1, 0, 0, 0, 0, 0], '1.8 s: the 1–2 s bar');
    assert.deepEqual(
      stats.duration,
      [0, 0, 1, 0, 0, 0],
      '5 min: the 5–15 min bar (a bar holds its lower edge)',
    );
    assert.deepEqual(stats.agents, [
      { browser: 'Chrome', platform: 'Android', people: 1 },
      { browser: 'Safari', platform: 'iOS', people: 1 },
    ]);
    // In Bogotá (UTC−5) the call was made at 10:00 the same day.
    const bogota = await get<StatsAnswer>('/admin/api/stats?range=7d&tz=-300');
    assert.equal(bogota.bucketMs, 86_400_000);
    assert.deepEqual(bogota.series, [
      { startMs: Date.UTC(2026, 10, 30, 5), created: 1, connected: 1, failed: 0 },
    ]);

    const detail = await get<{ call: CallRow; timeline: TimelineEntry[] }>(`/admin/api/calls/${call.id}`);
    assert.deepEqual(
      detail.timeline.map((entry) => [entry.kind, entry.data.participant ?? null, entry.atMs - start]),
      [
        ['created', null, 0],
        ['joined', 'host', 60_000],
        ['joined', 'guest', 90_000],
        ['connected', 'host', 92_000],
        ['connected', 'guest', 92_000],
        ['left', 'host', 392_000],
      ],
    );

    const csv = await app.inject({ url: '/admin/api/calls.csv?range=today&tz=-300', headers: { cookie } });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(
      String(csv.headers['content-disposition']),
      /attachment; filename="calls-today-2026-11-30\.csv"/,
    );
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trimEnd()
      .split('\r\n');
    assert.equal(lines.length, 2);
    const fields = Object.fromEntries(
      (lines[0] ?? '').split(',').map((name, index) => [name, (lines[1] ?? '').split(',')[index]]),
    );
    assert.deepEqual(
      [
        fields.status,
        fields.created,
        fields.guest,
        fields.duration_seconds,
        fields.path,
        fields.setup_seconds,
      ],
      ['ended', '2026-11-30T10:00:00-05:00', '57******5566', '300', 'relay', '1.8'],
    );
    assert.doesNotMatch(csv.body, new RegExp(LUIS), 'no number in full');
  });

  it('counts an invitation WhatsApp failed, with its code, and the browser-less join', async (t) => {
    const app = await startApp(t, testConfig());
    const { cookie } = await operator(app);
    const post = (payload: unknown) => app.inject({ method: 'POST', url: '/webhook', ...signed(payload) });
    // Luis wrote first, so the bot may message him: his invitation is a button message.
    await post(notification([textMessage(LUIS, 'hola')], { name: 'Luis' }));
    const ask = textMessage(ANA, 'videollamada +57 300 444 5566');
    await post(notification([ask]));
    const invitation = `${String(ask.id)}:invitee`;
    await eventually(async () => (await app.storage.outbox.get(invitation))?.state === 'sent', {
      what: 'the invitation to be sent',
    });
    const failed = {
      id: 'wamid.failed-1',
      status: 'failed',
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: LUIS,
      biz_opaque_callback_data: invitation,
      errors: [{ code: 131026, title: 'Message undeliverable' }],
    };
    assert.equal((await post(notification([], { statuses: [failed] }))).statusCode, 200);
    const stats = await eventually(async () => {
      const answer = (await app.inject({ url: '/admin/api/stats', headers: { cookie } })).json<StatsAnswer>();
      return answer.totals.failed === 1 ? answer : undefined;
    });
    assert.deepEqual(stats.failures, [{ code: 131026, calls: 1 }]);
    assert.deepEqual(stats.funnel, { invited: 2, sent: 1, delivered: 0, read: 0, joined: 0 });
    const page = (await app.inject({ url: '/admin/api/calls', headers: { cookie } })).json<{
      calls: CallRow[];
    }>();
    assert.deepEqual(
      page.calls.map((row) => [row.status, row.reachedBy, row.failureCode, row.hostName]),
      [['failed', 'button', 131026, 'Ana']],
    );
  });
});
