import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedis, type RedisServer } from '../../../test/servers/redis-server.js';
import { RedisSendBudget } from './redis-send-budget.js';
import { LocalSendBudget, type SendBudget } from './send-budget.js';

let server: RedisServer;
const clients: Redis[] = [];
before(async () => {
  server = await startRedis();
});
after(async () => {
  await Promise.all(clients.map((client) => client.quit()));
  await server.stop();
});

describe('the send budget (Meta’s throughput limit per number)', () => {
  it('in one process: a second’s worth at once, then refilled at the rate', async () => {
    let nowMs = 0;
    const budget = new LocalSendBudget(50, () => nowMs);
    assert.deepEqual(await budget.take(40), { granted: 40, retryInMs: 0 });
    assert.deepEqual(await budget.take(40), { granted: 10, retryInMs: 0 });
    assert.deepEqual(await budget.take(1), { granted: 0, retryInMs: 20 });
    nowMs = 100;
    assert.equal((await budget.take(40)).granted, 5);
    await budget.giveBack(3);
    assert.equal((await budget.take(40)).granted, 3);
  });

  it('shared in Redis: two instances together get no more than the number’s limit', async () => {
    const budgets: SendBudget[] = [0, 1].map(() => {
      const client = new Redis(server.url);
      clients.push(client);
      return new RedisSendBudget(client, '106540352242922', 50);
    });
    const startedAt = Date.now();
    const first = await budgets[0]!.take(40);
    const second = await budgets[1]!.take(40);
    const third = await budgets[0]!.take(40);
    // What refilled while they asked: 50 a second.
    const refill = Math.ceil(((Date.now() - startedAt) * 50) / 1000);
    assert.equal(first.granted, 40);
    assert.ok(second.granted >= 10, `second got ${second.granted}`);
    const total = first.granted + second.granted + third.granted;
    assert.ok(total <= 50 + refill, `${total} granted with ${refill} refilled`);
    // Another number has a budget of its own.
    const other = new RedisSendBudget(clients[0]!, '999', 50);
    assert.equal((await other.take(40)).granted, 40);
  });
});
