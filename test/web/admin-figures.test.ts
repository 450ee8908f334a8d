import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatsAnswer } from '../../src/protocol/dashboard.js';
import {
  failureText,
  fill,
  formatDuration,
  histogramLabels,
  seriesColumns,
  share,
  timelineText,
  utcOffsetMinutes,
  who,
} from '../../web/admin-figures.js';
import { ADMIN_TEXTS } from '../../web/admin-texts.js';

const HOUR = 3_600_000;
const es = ADMIN_TEXTS.es;

function stats(series: StatsAnswer['series'], from: number, to: number, bucketMs = HOUR): StatsAnswer {
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    bucketMs,
    series,
    totals: { created: 0, connected: 0, failed: 0, declined: 0, cancelled: 0, relayed: 0 },
    funnel: { invited: 0, sent: 0, delivered: 0, read: 0, joined: 0 },
    setup: [],
    duration: [],
    failures: [],
    agents: [],
  };
}

describe('the dashboard’s figures in words and plots', () => {
  it('gives every bar of the range a value, zero where no call was made', () => {
    const from = Date.UTC(2026, 10, 30, 5);
    const columns = seriesColumns(
      stats([{ startMs: from + 2 * HOUR, created: 3, connected: 2, failed: 1 }], from, from + 4 * HOUR - 1),
    );
    assert.deepEqual(
      columns.x,
      [0, 1, 2, 3].map((h) => (from + h * HOUR) / 1000),
    );
    assert.deepEqual(columns.created, [0, 0, 3, 0]);
    assert.deepEqual(columns.connected, [0, 0, 2, 0]);
    assert.deepEqual(columns.failed, [0, 0, 1, 0]);
  });

  it('labels the histograms’ bars from the shared edges', () => {
    assert.deepEqual(histogramLabels('setup', 'es'), ['<1', '1–2', '2–3', '3–5', '5–10', '10–20', '≥20']);
    assert.deepEqual(histogramLabels('duration', 'en'), ['<1', '1–5', '5–15', '15–30', '30–60', '≥60']);
  });

  it('writes durations, shares and texts with holes', () => {
    assert.equal(formatDuration(null), '—');
    assert.equal(formatDuration(35_400), '35 s');
    assert.equal(formatDuration(250_000), '4 min 10 s');
    assert.equal(formatDuration(3_900_000), '1 h 05 min');
    assert.equal(share(1, 4, 'en'), '25%');
    assert.equal(share(1, 0, 'en'), '—');
    assert.equal(fill('in {minutes} min', { minutes: 3 }), 'in 3 min');
    assert.equal(utcOffsetMinutes(new Date()), -new Date().getTimezoneOffset());
  });

  it('names failures and timeline entries in the operator’s language', () => {
    assert.equal(failureText(131047, es), 'Fuera de la ventana de 24 h (131047)');
    assert.equal(failureText(131026, ADMIN_TEXTS.pt), 'O número não tem WhatsApp (131026)');
    assert.equal(failureText(null, es), '');
    assert.equal(
      timelineText(
        { atMs: 0, kind: 'connected', data: { participant: 'guest', setupMs: 1_800, path: 'relay' } },
        es,
      ),
      'Conectó · Invitado · por TURN, 2 s',
    );
    assert.equal(
      timelineText(
        { atMs: 0, kind: 'joined', data: { participant: 'host', browser: 'Safari', platform: 'iOS' } },
        ADMIN_TEXTS.en,
      ),
      'Joined · Host · Safari / iOS',
    );
    assert.equal(
      timelineText(
        { atMs: 0, kind: 'invitation', data: { participant: 'guest', state: 'failed', errorCode: 131026 } },
        es,
      ),
      'Invitación · Invitado · El número no tiene WhatsApp (131026)',
    );
    assert.equal(
      timelineText({ atMs: 0, kind: 'left', data: { participant: 'guest', reason: 'lost' } }, es),
      'Salió · Invitado · se cortó la conexión',
    );
  });

  it('shows people by name, or by their masked number', () => {
    const call = { hostName: 'Ana', host: '57******2233', guestName: null, guest: '57******5566' };
    assert.equal(who(call as Parameters<typeof who>[0]), 'Ana → 57******5566');
  });
});
