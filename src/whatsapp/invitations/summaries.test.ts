import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Line } from '../../config.js';
import { createStorage, type Storage } from '../../storage/storage.js';
import { invitationSettings } from '../../../test/helpers/invitation-settings.js';
import { commitReply, planReply } from './call-invitations.js';
import { lastedInWords, NO_SHOW_AFTER_MS, runSummaries } from './summaries.js';

// After a call, its inviter is told how it went: how long it lasted, or that the other person never came;
// once, inside their window.

const ANA = '573001112233';
const NOW = Date.parse('2026-12-01T15:00:00Z');
const LINE = { id: 'main', language: undefined, timeZone: undefined } as unknown as Line;

async function call(storage: Storage, body = 'videollamada +57 300 444 5566') {
  const id = `wamid.${Math.random()}`;
  const inbound = { person: ANA, line: 'main', atMs: NOW - 60_000 };
  await storage.ledger.commit(`hi-${id}`, { rooms: [], messages: [], inbound }, NOW);
  const plan = await planReply(
    { message: { id, from: ANA, type: 'text', text: { body } }, senderName: 'Ana' },
    invitationSettings({
      limits: { perSenderPerHour: 10, pairCooldownSeconds: 0, allowedSenders: undefined },
    }),
    storage,
    NOW,
  );
  const { effects } = await commitReply(storage.ledger, id, plan, NOW);
  return effects!.rooms[0]!;
}

async function summaries(storage: Storage): Promise<string[]> {
  const due = await storage.outbox.claimDue(Number.MAX_SAFE_INTEGER, 100);
  return due
    .filter((entry) => entry.id.endsWith(':summary'))
    .map((entry) => (entry.content as unknown as { text: { body: string } }).text.body);
}

describe('summaries after a call', () => {
  it('tells the inviter how long the call lasted once someone hung up, once', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    const room = await call(storage);
    await storage.rooms.markJoined(room.id, 0, NOW + 60_000);
    await storage.rooms.markJoined(room.id, 1, NOW + 2 * 60_000);
    assert.equal(await runSummaries(storage, [LINE], NOW + 5 * 60_000), 0);
    await storage.rooms.markEnded(room.id, NOW + 14 * 60_000);
    assert.equal(await runSummaries(storage, [LINE], NOW + 15 * 60_000), 1);
    assert.equal(await runSummaries(storage, [LINE], NOW + 16 * 60_000), 0);
    assert.deepEqual(await summaries(storage), [
      '📋 Tu videollamada con +57 300 4445566 del martes, 1 de diciembre, 10:00 a. m. (hora estándar de Colombia) duró 12 min.',
    ]);
    await storage.close();
  });

  it('tells the inviter the other person never came, half an hour after the call’s time', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    await call(storage, 'videollamada +57 300 444 5566 hoy 10:30');
    await storage.rooms.markJoined((await storage.rooms.list({ lines: ['main'], limit: 1 }))[0]!.id, 0, NOW);
    const booked = Date.parse('2026-12-01T15:30:00Z');
    assert.equal(await runSummaries(storage, [LINE], booked + NO_SHOW_AFTER_MS - 1), 0);
    assert.equal(await runSummaries(storage, [LINE], booked + NO_SHOW_AFTER_MS + 1), 1);
    const [text] = await summaries(storage);
    assert.match(
      text!,
      /\+57 300 4445566 no entró a la videollamada del martes, 1 de diciembre, 10:30 a\. m\./,
    );
    await storage.close();
  });

  it('writes nothing outside the inviter’s window, and does not try again', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    await call(storage);
    const dayLater = NOW + 25 * 3_600_000;
    assert.equal(await runSummaries(storage, [LINE], dayLater), 0);
    assert.deepEqual(await storage.rooms.summariesDue(0, dayLater, 10), []);
    await storage.close();
  });

  it('says how long in words', () => {
    assert.equal(lastedInWords(40_000), '40 s');
    assert.equal(lastedInWords(12 * 60_000 + 10_000), '12 min');
    assert.equal(lastedInWords(65 * 60_000), '1 h 05 min');
  });
});
