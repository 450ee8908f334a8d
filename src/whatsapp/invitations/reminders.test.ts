import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Line } from '../../config.js';
import { seatForKey } from '../../rooms/room.js';
import { createStorage, type Storage } from '../../storage/storage.js';
import { invitationSettings } from '../../../test/helpers/invitation-settings.js';
import type { MessageContent, OutgoingMessage } from '../outbox/outbox.js';
import { commitReply, planReply } from './call-invitations.js';
import { runReminders } from './reminders.js';

// A booked call's reminders: both people, ten minutes before, once, by WhatsApp's rules; through a restart,
// a move and a cancellation. The clock is given, never waited for.

const ANA = '573001112233';
const LUIS = '573004445566';
const NOW = Date.parse('2026-12-01T15:00:00Z');
/** "mañana 10:00" in Bogotá. */
const START = Date.parse('2026-12-02T15:00:00Z');
const BEFORE = 10 * 60_000;
const LINE = {
  id: 'main',
  language: undefined,
  timeZone: undefined,
  reminderTemplate: undefined,
} as unknown as Line;
const WITH_TEMPLATE = {
  ...LINE,
  reminderTemplate: { name: 'recordatorio_videollamada', language: 'es', buttonIndex: 0 },
} as Line;

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Who wrote to the bot an hour before the booking (their window is open then, and a day later closed). */
async function wrote(storage: Storage, people: string[], atMs: number): Promise<void> {
  for (const person of people) {
    const inbound = { person, line: 'main', atMs };
    await storage.ledger.commit(`hi-${person}-${atMs}`, { rooms: [], messages: [], inbound }, atMs);
  }
}

async function book(storage: Storage, body = 'videollamada +57 300 444 5566 mañana 10:00') {
  const id = `wamid.${body.length}.${Math.random()}`;
  const plan = await planReply(
    { message: { id, from: ANA, type: 'text', text: { body } }, senderName: 'Ana' },
    invitationSettings({ inviteTemplate: undefined }),
    storage,
    NOW,
  );
  const { effects } = await commitReply(storage.ledger, id, plan, NOW);
  return effects!.rooms[0]!;
}

function textOf(content: MessageContent | undefined): string {
  const c = content as { text?: { body: string }; interactive?: { body: { text: string } } } | undefined;
  return c?.text?.body ?? c?.interactive?.body.text ?? '';
}

/** The reminders queued in the outbox. */
async function reminders(storage: Storage): Promise<OutgoingMessage[]> {
  const due = await storage.outbox.claimDue(Number.MAX_SAFE_INTEGER, 100);
  return due.filter((entry) => entry.id.includes(':reminder:'));
}

describe('reminders of booked calls', () => {
  it('reminds both people ten minutes before, with their own link, once however often it runs', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    await wrote(storage, [ANA, LUIS], START - 3_600_000);
    const room = await book(storage);
    assert.equal(await runReminders(storage, [LINE], BEFORE, START - BEFORE - 60_000), 0);
    const [first, second] = await Promise.all([
      runReminders(storage, [LINE], BEFORE, START - BEFORE),
      runReminders(storage, [LINE], BEFORE, START - BEFORE),
    ]);
    assert.equal(first + second, 2);
    assert.equal(await runReminders(storage, [LINE], BEFORE, START - 60_000), 0);
    const sent = await reminders(storage);
    assert.deepEqual(sent.map((m) => m.to).sort(), [ANA, LUIS]);
    for (const message of sent) {
      const seat = message.to === ANA ? 0 : 1;
      assert.match(textOf(message.content), /es hoy a las 10:00/);
      const url = new URL(
        (message.content as unknown as { interactive: { action: { parameters: { url: string } } } })
          .interactive.action.parameters.url,
      );
      assert.equal(seatForKey(room, new URLSearchParams(url.hash.slice(1)).get('k') ?? ''), seat);
    }
    await storage.close();
  });

  it('reminds after a restart: the booking is in the store, not in a timer', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wwb-reminders-'));
    dirs.push(dataDir);
    const before = createStorage({ dataDir });
    await wrote(before, [ANA, LUIS], START - 3_600_000);
    await book(before);
    await before.close();
    const after = createStorage({ dataDir });
    // Back a minute late: the reminders still go out.
    assert.equal(await runReminders(after, [LINE], BEFORE, START - BEFORE + 60_000), 2);
    await after.close();
  });

  it('uses the approved template for someone outside their window, and nothing where there is none', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    // Only Ana wrote recently; Luis never did.
    await wrote(storage, [ANA], START - 3_600_000);
    const room = await book(storage);
    assert.equal(await runReminders(storage, [LINE], BEFORE, START - BEFORE), 1);
    assert.deepEqual(
      (await reminders(storage)).map((m) => m.to),
      [ANA],
    );

    const templated = createStorage({ dataDir: ':memory:' });
    await wrote(templated, [ANA], START - 3_600_000);
    const booked = await book(templated);
    assert.equal(await runReminders(templated, [WITH_TEMPLATE], BEFORE, START - BEFORE), 2);
    const toLuis = (await reminders(templated)).find((m) => m.to === LUIS);
    const template = (
      toLuis?.content as unknown as {
        template: { name: string; components: { parameters: { text: string }[] }[] };
      }
    ).template;
    assert.equal(template.name, 'recordatorio_videollamada');
    assert.deepEqual(
      template.components[0]?.parameters.map((p) => p.text),
      ['Ana (+57 300 1112233)', '10:00 a. m.'],
    );
    const suffix = template.components[1]?.parameters[0]?.text ?? '';
    assert.equal(seatForKey(booked, new URL(`https://x/room/${suffix}`).searchParams.get('k') ?? ''), 1);
    assert.notEqual(room.id, booked.id);
    await storage.close();
    await templated.close();
  });

  it('leaves out whoever is already in the room, and a call its invitee declined', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    await wrote(storage, [ANA, LUIS], START - 3_600_000);
    const early = await book(storage);
    await storage.rooms.markJoined(early.id, 0, START - BEFORE - 60_000);
    assert.equal(await runReminders(storage, [LINE], BEFORE, START - BEFORE), 1);
    assert.deepEqual(
      (await reminders(storage)).map((m) => m.to),
      [LUIS],
    );

    const declinedBy = createStorage({ dataDir: ':memory:' });
    await wrote(declinedBy, [ANA, LUIS], START - 3_600_000);
    const declined = await book(declinedBy);
    const plan = await planReply(
      {
        message: { id: 'wamid.NO', from: LUIS, type: 'text', text: { body: 'no puedo' } },
        senderName: 'Luis',
      },
      invitationSettings(),
      declinedBy,
      NOW,
    );
    await commitReply(declinedBy.ledger, 'wamid.NO', plan, NOW);
    assert.equal(await runReminders(declinedBy, [LINE], BEFORE, START - BEFORE), 0);
    assert.deepEqual(await declinedBy.rooms.summariesDue(0, START + 3_600_000, 10), []);
    assert.equal((await declinedBy.rooms.get(declined.id))?.cancelledAtMs, undefined);
    await storage.close();
    await declinedBy.close();
  });

  it('reminds again at a moved call’s new time, and never for a cancelled one', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    await wrote(storage, [ANA, LUIS], START - 3_600_000);
    const moved = await book(storage);
    const cancelled = await book(storage, 'videollamada +57 300 777 8899 mañana 11:00');
    assert.equal(await runReminders(storage, [LINE], BEFORE, START - BEFORE), 2);
    const later = START + 2 * 3_600_000;
    assert.equal(await storage.rooms.reschedule(moved.id, later, later + 3_600_000, START - BEFORE), true);
    assert.equal(await storage.rooms.cancel(cancelled.id, START - BEFORE), true);
    assert.equal(await runReminders(storage, [LINE], BEFORE, later - BEFORE - 1), 0);
    assert.equal(await runReminders(storage, [LINE], BEFORE, later - BEFORE), 2);
    await storage.close();
  });
});
