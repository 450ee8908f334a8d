import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { freePort } from '../helpers/free-port.js';
import {
  burstInvitation,
  cloudServiceEnv,
  deliverUntilAccepted,
  startService,
} from '../helpers/service-process.js';
import { eventually } from '../helpers/test-app.js';
import { TEST_APP_SECRET } from '../helpers/webhook-payloads.js';
import { scaleOutServers } from '../servers/scale-out-servers.js';

// Two service processes on one PostgreSQL and one Redis, webhooks spread over both; one is killed (SIGKILL)
// mid-burst and started again. Every invitation's messages go out once: the survivor takes over the dead
// instance's sends once its heartbeat stops, waits for Meta's status webhooks, and sends what was never sent.

const INVITATIONS = 200;
const CONFIRM_WAIT_SECONDS = 2;

const servers = scaleOutServers();

describe('several instances, one killed mid-burst', () => {
  it('sends every invitation’s messages exactly once', async (t) => {
    const graph = await FakeGraphApi.start({ delayMs: 20 });
    t.after(() => graph.close());
    const ports = [await freePort(), await freePort()] as const;
    const shared = {
      ...cloudServiceEnv(graph.baseUrl, CONFIRM_WAIT_SECONDS),
      PUBLIC_BASE_URL: 'http://127.0.0.1:8000',
      DATABASE_URL: await servers.postgres().createDatabase(),
      REDIS_URL: servers.redis().url,
    };
    const env = (i: 0 | 1) => ({ ...shared, PORT: String(ports[i]) });
    const url = (i: number) => `http://127.0.0.1:${ports[i % 2]}/webhook`;
    // Meta reports statuses to the balancer: here, to the instance that stays up.
    graph.reportStatusesTo(url(1), TEST_APP_SECRET);
    const services: ChildProcess[] = [
      await startService(env(0), ports[0]),
      await startService(env(1), ports[1]),
    ];
    t.after(() => services.forEach((service) => service.kill('SIGTERM')));

    const invitation = (i: number) => burstInvitation(i, 'spread');
    // Round-robin: each webhook goes to the next instance, and again to the next until one answers 200.
    let next = 0;
    const deliveries = Array.from({ length: INVITATIONS }, (_, i) =>
      sleep(i * 5).then(() => deliverUntilAccepted(() => url(next++), invitation(i))),
    );
    await eventually(() => graph.accepted.length >= INVITATIONS / 2, {
      timeoutMs: 20_000,
      what: 'the burst',
    });
    services[0]?.kill('SIGKILL');
    await once(services[0] as ChildProcess, 'exit');
    const acceptedAtKill = graph.accepted.length;
    services[0] = await startService(env(0), ports[0]);

    await Promise.all(deliveries);
    // Each invitation sends two messages to its inviter (the invitee never wrote): the link, and the one to forward.
    const expected = INVITATIONS * 2;
    const sentIds = () => new Set(graph.accepted.map((send) => send.body.biz_opaque_callback_data));
    await eventually(() => sentIds().size === expected, { timeoutMs: 40_000, what: 'every message sent' });
    // Anything still unconfirmed would be sent again after the confirmation wait: give it that long.
    await sleep(CONFIRM_WAIT_SECONDS * 1000 + 1_000);
    await graph.statusesDelivered();
    const ids = graph.accepted.map((send) => String(send.body.biz_opaque_callback_data));
    const duplicates = ids.length - new Set(ids).size;
    const db = new pg.Client({ connectionString: shared.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox WHERE attempts > 1',
    );
    await db.end();
    t.diagnostic(
      `${INVITATIONS} invitations over 2 instances, one killed after ${acceptedAtKill} sends: ` +
        `${ids.length} sends accepted, ${duplicates} duplicates, ${expected - new Set(ids).size} lost; ` +
        `${rows[0]?.n} messages the dead instance had under way, taken over`,
    );
    assert.equal(duplicates, 0);
    assert.equal(new Set(ids).size, expected);
  });
});
