import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import pino from 'pino';
import { eventually, FAST_OUTBOX } from '../../../test/helpers/test-app.js';
import { createStorage } from '../../storage/storage.js';
import { OutboxWorker } from './outbox-worker.js';
import type { Outbox } from './outbox.js';
import { SendError, type SendRequest, type WhatsAppClient } from './whatsapp-client.js';

/** A client that answers from a script per recipient, then succeeds. */
class ScriptedClient implements WhatsAppClient {
  readonly attempts: SendRequest[] = [];
  constructor(private readonly failures: Record<string, SendError[]>) {}
  send(request: SendRequest): Promise<{ wamid: string }> {
    this.attempts.push(request);
    const failure = this.failures[request.to]?.shift();
    return failure ? Promise.reject(failure) : Promise.resolve({ wamid: `wamid.${this.attempts.length}` });
  }
}

/** `outbox` with some of its methods replaced. */
function outboxWith(outbox: Outbox, replaced: Partial<Outbox>): Outbox {
  return {
    claimDue: (nowMs, limit) => outbox.claimDue(nowMs, limit),
    nextDueAtMs: () => outbox.nextDueAtMs(),
    reschedule: (id, atMs, error, nowMs) => outbox.reschedule(id, atMs, error, nowMs),
    markSent: (id, wamid, nowMs) => outbox.markSent(id, wamid, nowMs),
    markFailed: (id, error, nowMs) => outbox.markFailed(id, error, nowMs),
    recoverInterrupted: (retryAtMs, nowMs) => outbox.recoverInterrupted(retryAtMs, nowMs),
    recordStatus: (report, nowMs) => outbox.recordStatus(report, nowMs),
    get: (id) => outbox.get(id),
    ...replaced,
  };
}

const apiError = (code: number) => new SendError(`(#${code})`, { kind: 'api', code, httpStatus: 400 });

async function setUp(t: TestContext, client: WhatsAppClient, recipients: string[]) {
  const storage = createStorage({ dataDir: ':memory:' });
  await storage.ledger.commit(
    'in-1',
    {
      rooms: [],
      messages: recipients.map((to) => ({
        id: `in-1:${to}`,
        kind: 'reply' as const,
        line: 'main',
        to,
        content: { type: 'text', text: { body: 'x' } },
      })),
    },
    Date.now(),
  );
  const worker = new OutboxWorker(storage.outbox, client, pino({ level: 'silent' }), FAST_OUTBOX);
  t.after(async () => {
    await worker.stop();
    await storage.close();
  });
  await worker.start();
  return storage;
}

describe('OutboxWorker', () => {
  it('sends every pending message once and records its wamid', async (t) => {
    const client = new ScriptedClient({});
    const storage = await setUp(t, client, ['1', '2', '3']);
    await eventually(async () => (await storage.outbox.get('in-1:3'))?.state === 'sent');
    await eventually(async () => (await storage.outbox.get('in-1:1'))?.state === 'sent');
    assert.equal(client.attempts.length, 3);
    assert.match((await storage.outbox.get('in-1:2'))?.wamid ?? '', /^wamid\./);
    assert.equal(client.attempts[0]?.correlationId, client.attempts[0] && `in-1:${client.attempts[0].to}`);
  });

  it('retries what can succeed later until it is sent', async (t) => {
    const client = new ScriptedClient({
      '1': [apiError(130429), apiError(131016), new SendError('down', { kind: 'network' })],
    });
    const storage = await setUp(t, client, ['1']);
    const entry = await eventually(async () => {
      const e = await storage.outbox.get('in-1:1');
      return e?.state === 'sent' && e;
    });
    assert.equal(entry.attempts, 4);
    assert.equal(client.attempts.length, 4);
  });

  it('gives up at once on a permanent error', async (t) => {
    const client = new ScriptedClient({ '1': [apiError(131026)] });
    const storage = await setUp(t, client, ['1']);
    const entry = await eventually(async () => {
      const e = await storage.outbox.get('in-1:1');
      return e?.state === 'failed' && e;
    });
    assert.equal(entry.attempts, 1);
    assert.match(entry.lastError ?? '', /^131026/);
  });

  it('gives up after the maximum number of attempts', async (t) => {
    const client = new ScriptedClient({ '1': Array.from({ length: 10 }, () => apiError(131000)) });
    const storage = await setUp(t, client, ['1']);
    const entry = await eventually(async () => {
      const e = await storage.outbox.get('in-1:1');
      return e?.state === 'failed' && e;
    });
    assert.equal(entry.attempts, FAST_OUTBOX.maxAttempts);
  });

  it('waits much longer after the per-person rate limit (131056): 4× per attempt', async (t) => {
    const client = new ScriptedClient({ '1': [apiError(131056), apiError(131056)] });
    const storage = createStorage({ dataDir: ':memory:' });
    await storage.ledger.commit(
      'in-1',
      {
        rooms: [],
        messages: [
          { id: 'm', kind: 'reply', line: 'main', to: '1', content: { type: 'text', text: { body: 'x' } } },
        ],
      },
      Date.now(),
    );
    const settings = { ...FAST_OUTBOX, pairRateBaseDelayMs: 60_000 };
    const worker = new OutboxWorker(storage.outbox, client, pino({ level: 'silent' }), settings);
    t.after(async () => {
      await worker.stop();
      await storage.close();
    });
    const before = Date.now();
    await worker.start();
    const entry = await eventually(async () => {
      const e = await storage.outbox.get('m');
      return e?.state === 'pending' && e.attempts === 1 && e;
    });
    // Equal jitter: between half and all of the base delay, far beyond the ordinary backoff cap.
    assert.ok(entry.nextAttemptAtMs - before >= 30_000, `retry in ${entry.nextAttemptAtMs - before} ms`);
    assert.ok(entry.nextAttemptAtMs - before <= 61_000);
  });

  it('records a send again while storage is away, and never sends it twice', async (t) => {
    const storage = createStorage({ dataDir: ':memory:' });
    await storage.ledger.commit(
      'in-1',
      {
        rooms: [],
        messages: [
          { id: 'm1', kind: 'reply', line: 'main', to: '1', content: { type: 'text', text: { body: 'x' } } },
        ],
      },
      Date.now(),
    );
    let refusals = 3;
    const outbox = storage.outbox;
    // The storage refuses the first three records of a send (a database restarting), then takes them.
    const flaky = outboxWith(outbox, {
      markSent: (id, wamid, nowMs) =>
        refusals-- > 0
          ? Promise.reject(new Error('Connection terminated unexpectedly'))
          : outbox.markSent(id, wamid, nowMs),
    });
    const client = new ScriptedClient({});
    const worker = new OutboxWorker(flaky, client, pino({ level: 'silent' }), FAST_OUTBOX);
    t.after(async () => {
      await worker.stop();
      await storage.close();
    });
    await worker.start();
    await eventually(async () => (await storage.outbox.get('m1'))?.state === 'sent', { what: 'm1 recorded' });
    assert.equal(refusals, -1, 'three records refused, the fourth kept');
    assert.equal(client.attempts.length, 1, 'sent once');
  });

  it('stops only after the claim under way and its sends are done', async (t) => {
    const storage = createStorage({ dataDir: ':memory:' });
    t.after(() => storage.close());
    await storage.ledger.commit(
      'in-1',
      {
        rooms: [],
        messages: [
          { id: 'm1', kind: 'reply', line: 'main', to: '1', content: { type: 'text', text: { body: 'x' } } },
        ],
      },
      Date.now(),
    );
    let claimCalled: () => void = () => undefined;
    const claiming = new Promise<void>((resolve) => (claimCalled = resolve));
    let answerClaim: () => void = () => undefined;
    const claimAnswered = new Promise<void>((resolve) => (answerClaim = resolve));
    // A claim that takes its time (a busy database), still running when the service is told to stop.
    const slow = outboxWith(storage.outbox, {
      claimDue: async (nowMs, limit) => {
        claimCalled();
        await claimAnswered;
        return storage.outbox.claimDue(nowMs, limit);
      },
    });
    const client = new ScriptedClient({});
    const worker = new OutboxWorker(slow, client, pino({ level: 'silent' }), FAST_OUTBOX);
    await worker.start();
    await claiming;
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false, 'still claiming');
    answerClaim();
    await stopping;
    assert.equal(client.attempts.length, 1);
    assert.equal(
      (await storage.outbox.get('m1'))?.state,
      'sent',
      'claimed, sent and recorded before stopping',
    );
  });
});
