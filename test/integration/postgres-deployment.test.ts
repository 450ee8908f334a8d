import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { freePort } from '../helpers/free-port.js';
import { cloudConfig, eventually, startApp } from '../helpers/test-app.js';
import { notification, signed, textMessage } from '../helpers/webhook-payloads.js';
import { startPostgres, type PostgresServer } from '../servers/postgres-server.js';
import { InstanceConflictError } from '../../src/storage/postgres/postgres-instances.js';
import { openPostgresStorage } from '../../src/storage/postgres/postgres-storage.js';

let server: PostgresServer;
let graph: FakeGraphApi;
before(async () => {
  [server, graph] = await Promise.all([startPostgres(), FakeGraphApi.start()]);
});
after(async () => {
  await graph.close();
  await server.close();
});

async function count(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  await client.end();
  return Number(rows[0]?.n);
}

describe('on PostgreSQL (DATABASE_URL)', () => {
  it('runs the service on PostgreSQL: a webhook makes a room and its messages, sent once', async (t) => {
    const url = await server.createDatabase();
    const app = await startApp(t, cloudConfig(graph.baseUrl, { DATABASE_URL: url }));
    const from = '573001110001';
    const delivery = signed(notification([textMessage(from, 'videollamada +57 300 444 5566')]));
    const response = await app.inject({ method: 'POST', url: '/webhook', ...delivery });
    assert.equal(response.json().handled, 1);
    await eventually(() => graph.sendsTo(from).length === 2, { what: 'the link and the forward message' });
    assert.equal(await count(url, 'rooms'), 1);
    assert.equal(await count(url, "outbox WHERE state = 'sent'"), 2);
    assert.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
  });

  it('handles the same webhook delivered to two instances at the same moment once', async (t) => {
    const url = await server.createDatabase();
    // Two instances' storage on one database; each app is one instance (registration is tested below).
    const apps = await Promise.all(
      [0, 1].map(async () =>
        startApp(t, cloudConfig(graph.baseUrl), { storage: await openPostgresStorage({ url }) }),
      ),
    );
    const from = '573001110002';
    const deliveries = Array.from({ length: 50 }, (_, i) =>
      signed(
        notification([textMessage(from, `videollamada +57 300 444 550${i % 10}`, `wamid.same.${i % 10}`)]),
      ),
    );
    await Promise.all(
      deliveries.flatMap((delivery) =>
        apps.map((app) => app.inject({ method: 'POST', url: '/webhook', ...delivery })),
      ),
    );
    assert.equal(await count(url, 'processed_messages'), 10);
    // Ten different messages from one person to ten people: the per-hour limit (10) lets all through.
    assert.equal(await count(url, 'rooms'), 10);
    assert.equal(await count(url, 'outbox'), 20);
    await eventually(() => graph.sendsTo(from).length === 20, { what: 'every message sent' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(graph.sendsTo(from).length, 20, 'no message sent twice');
  });

  it('refuses a second instance on the same database without REDIS_URL, naming it', async (t) => {
    const url = await server.createDatabase();
    await startApp(t, cloudConfig(graph.baseUrl, { DATABASE_URL: url }));
    await assert.rejects(
      startApp(t, cloudConfig(graph.baseUrl, { DATABASE_URL: url })),
      (error: unknown) => error instanceof InstanceConflictError && /REDIS_URL/.test(error.message),
    );
  });

  it('the refused process exits at once, non-zero, saying why', async (t) => {
    const url = await server.createDatabase();
    await startApp(t, cloudConfig(graph.baseUrl, { DATABASE_URL: url }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        ...process.env,
        PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DATABASE_URL: url,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 78);
    assert.match(stderr, /Another instance .* without shared live state.*REDIS_URL/s);
    assert.doesNotMatch(stderr, /postgres:\/\//, 'the URL (and any password in it) is not printed');
  });
});
