import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { freePort } from '../helpers/free-port.js';
import { eventually } from '../helpers/test-app.js';
import {
  burstInvitation,
  cloudServiceEnv,
  deliverUntilAccepted,
  startService,
} from '../helpers/service-process.js';
import { TEST_APP_SECRET } from '../helpers/webhook-payloads.js';

const INVITATIONS = 200;
const CONFIRM_WAIT_SECONDS = 3;

describe('crash recovery', () => {
  it('sends each invitation exactly once when the service is killed (SIGKILL) during a burst and restarted', async (t) => {
    const graph = await FakeGraphApi.start({ delayMs: 20 });
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wwb-crash-'));
    t.after(async () => {
      await graph.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const env = {
      ...cloudServiceEnv(graph.baseUrl, CONFIRM_WAIT_SECONDS),
      PORT: String(port),
      DATA_DIR: dataDir,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    };
    const url = `http://127.0.0.1:${port}/webhook`;
    graph.reportStatusesTo(url, TEST_APP_SECRET);

    let service = await startService(env, port);
    // Spread over about a second, so that the kill falls in the middle of the deliveries too.
    const invitation = (i: number) => burstInvitation(i, 'burst');
    const deliveries = Array.from({ length: INVITATIONS }, (_, i) =>
      sleep(i * 5).then(() => deliverUntilAccepted(url, invitation(i))),
    );
    // Kill the service mid-burst: some messages are committed, some sent, some on the wire.
    await eventually(() => graph.accepted.length >= INVITATIONS / 4, {
      timeoutMs: 20_000,
      what: 'the burst to be under way',
    });
    service.kill('SIGKILL');
    await once(service, 'exit');
    const acceptedAtKill = graph.accepted.length;
    service = await startService(env, port);
    t.after(() => service.kill('SIGTERM'));

    const attempts = await Promise.all(deliveries);
    // Each invitation sends two messages to its inviter (the invitee never wrote): their link, and the one to forward.
    const expected = INVITATIONS * 2;
    await eventually(
      () => new Set(graph.accepted.map((s) => s.body.biz_opaque_callback_data)).size === expected,
      {
        timeoutMs: 30_000,
        what: 'every invitation sent',
      },
    );
    // Anything left unconfirmed would be sent again after the confirmation wait: give it that long.
    await sleep(CONFIRM_WAIT_SECONDS * 1000 + 1_000);
    await graph.statusesDelivered();

    const ids = graph.accepted.map((send) => String(send.body.biz_opaque_callback_data));
    const duplicates = ids.length - new Set(ids).size;
    t.diagnostic(
      `${INVITATIONS} invitations, killed after ${acceptedAtKill} sends; webhook deliveries retried: ` +
        `${attempts.filter((n) => n > 1).length}; sends accepted: ${ids.length}; duplicates: ${duplicates}; ` +
        `lost: ${expected - new Set(ids).size}`,
    );
    assert.equal(duplicates, 0);
    assert.equal(new Set(ids).size, expected);
    assert.ok(ids.every((id) => /^wamid\.burst\.\d+:(inviter|forward)$/.test(id)));
  });
});
