import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invitationSettings, TEST_LIMITS } from '../../../test/helpers/invitation-settings.js';
import { createStorage, type Storage } from '../../storage/storage.js';
import type { MessageContent } from '../outbox/outbox.js';
import { commitReply, planReply } from './call-invitations.js';
import { textsFor } from './texts.js';

// Booking a call by WhatsApp: the time read in the inviter's zone, both told when it is, questions instead of
// guesses, and the inviter's cancel and reschedule.

const ANA = '573001112233';
const LUIS = '573004445566';
/** Tuesday 1 December 2026, 10:00 in Bogotá. */
const NOW = Date.parse('2026-12-01T15:00:00Z');
const SETTINGS = invitationSettings({ limits: { ...TEST_LIMITS, pairCooldownSeconds: 0 } });

function textOf(content: MessageContent | undefined): string {
  const c = content as { text?: { body: string }; interactive?: { body: { text: string } } } | undefined;
  return c?.text?.body ?? c?.interactive?.body.text ?? '';
}

/** A store where both Ana and Luis wrote to the bot an hour ago (both windows open). */
async function storageWithWindows(): Promise<Storage> {
  const storage = createStorage({ dataDir: ':memory:' });
  for (const person of [ANA, LUIS]) {
    await storage.ledger.commit(
      `hi-${person}`,
      { rooms: [], messages: [], inbound: { person, line: 'main', atMs: NOW - 3_600_000 } },
      NOW,
    );
  }
  return storage;
}

/** Ana's message, planned and committed at `nowMs`: what it wrote. */
async function send(storage: Storage, id: string, body: string, nowMs = NOW) {
  const plan = await planReply(
    { message: { id, from: ANA, type: 'text', text: { body } }, senderName: 'Ana' },
    SETTINGS,
    storage,
    nowMs,
  );
  const { effects } = await commitReply(storage.ledger, id, plan, nowMs);
  return effects!;
}

describe('booking a call by WhatsApp', () => {
  for (const [language, example, from] of [
    ['es', 'videollamada +57 300 123 4567 mañana 10:00', ANA],
    ['en', 'videocall +1 650 555 1234 tomorrow 10am', '447911123456'],
    ['pt', 'videochamada +55 11 91234 5678 amanhã 10:00', '5521998765432'],
  ] as const) {
    it(`books the help text's own example (${language})`, async () => {
      assert.ok(textsFor(language).help().includes(`*${example}*`));
      const storage = createStorage({ dataDir: ':memory:' });
      const plan = await planReply(
        { message: { id: 'wamid.H', from, type: 'text', text: { body: example } }, senderName: 'Ana' },
        SETTINGS,
        storage,
        NOW,
      );
      const effects = 'guard' in plan ? plan.effects : plan;
      assert.notEqual(effects.rooms[0]?.startsAtMs, undefined, JSON.stringify(effects.messages));
      await storage.close();
    });
  }

  it('books "mañana 10:00" in the inviter’s zone, says when to both, and offers the calendar entry', async () => {
    const storage = await storageWithWindows();
    const effects = await send(storage, 'wamid.B1', 'videollamada +57 300 444 5566 mañana 10:00');
    const room = effects.rooms[0]!;
    assert.equal(room.startsAtMs, Date.parse('2026-12-02T15:00:00Z'));
    // The room lives its length (an hour here) after the start, not after its creation.
    assert.equal(room.expiresAtMs, Date.parse('2026-12-02T16:00:00Z'));
    const [inviter, invitee] = effects.messages.map((m) => textOf(m.content));
    assert.match(
      inviter!,
      /quedó para el miércoles, 2 de diciembre, 10:00 a\. m\. \(hora estándar de Colombia\)/,
    );
    assert.match(inviter!, /El enlace abre 15 minutos antes/);
    assert.match(inviter!, new RegExp(`https://call\\.example\\.com/calendar/${room.id}\\.ics\\?lang=es`));
    assert.match(
      invitee!,
      /Ana \(\+57 300 1112233\) te invita a una videollamada el miércoles, 2 de diciembre/,
    );
    // The stored room keeps both links, for its reminders.
    const [due] = await storage.rooms.remindersDue(room.startsAtMs, NOW, 10);
    assert.equal(due?.links?.length, 2);
    await storage.close();
  });

  it('tells the invitee the time in their own zone and language', async () => {
    const storage = await storageWithWindows();
    const madrid = '34612345678';
    const atMs = NOW - 60_000;
    await storage.ledger.commit(
      'hi-madrid',
      { rooms: [], messages: [], inbound: { person: madrid, line: 'main', atMs } },
      NOW,
    );
    const effects = await send(storage, 'wamid.B2', 'videollamada +34 612 345 678 el viernes 3:30 pm');
    assert.equal(effects.rooms[0]!.startsAtMs, Date.parse('2026-12-04T20:30:00Z'));
    assert.match(
      textOf(effects.messages[0]?.content),
      /viernes, 4 de diciembre, 3:30 p\. m\. \(hora estándar de Colombia\)/,
    );
    // 3:30 p.m. in Bogotá is 21:30 in Madrid.
    const invitation = effects.messages.find((m) => m.to === madrid);
    assert.match(textOf(invitation?.content), /viernes, 4 de diciembre, 21:30 \(hora de Europa central\)/);
    await storage.close();
  });

  for (const [body, question] of [
    ['videollamada +57 300 444 5566 mañana', /¿A qué hora\?/],
    ['videollamada +57 300 444 5566 mañana a las 3', /¿A las 3 de la mañana o de la tarde\?/],
    ['videollamada +57 300 444 5566 hoy a las 9:00', /Esa hora ya pasó/],
    ['videollamada +57 300 444 5566 el 1 de junio de 2027 a las 10:00', /hasta 90 días/],
  ] as const) {
    it(`asks instead of guessing: "${body}"`, async () => {
      const storage = await storageWithWindows();
      const effects = await send(storage, 'wamid.Q', body);
      assert.deepEqual(effects.rooms, []);
      assert.equal(effects.messages.length, 1);
      assert.match(textOf(effects.messages[0]?.content), question);
      await storage.close();
    });
  }

  it('cancels the inviter’s booked call: they are answered, the invitee told once, the room closed', async () => {
    const storage = await storageWithWindows();
    const booked = await send(storage, 'wamid.B3', 'videollamada +57 300 444 5566 mañana 10:00');
    const roomId = booked.rooms[0]!.id;
    const effects = await send(storage, 'wamid.C1', 'cancelar');
    assert.match(textOf(effects.messages[0]?.content), /cancelé tu videollamada con \+57 300 4445566/);
    const notice = effects.messages.find((m) => m.to === LUIS);
    assert.equal(notice?.id, `${roomId}:cancelled`);
    assert.match(textOf(notice?.content), /canceló la videollamada del miércoles, 2 de diciembre/);
    assert.notEqual((await storage.rooms.get(roomId))?.cancelledAtMs, undefined);
    assert.deepEqual(
      effects.history?.map((event) => event.change.kind),
      ['cancelled'],
    );
    // Nothing left to cancel.
    const again = await send(storage, 'wamid.C2', 'cancelar');
    assert.match(textOf(again.messages[0]?.content), /No tienes ninguna invitación pendiente/);
    await storage.close();
  });

  it('asks which call to cancel when there are several, and cancels the one named by number', async () => {
    const storage = await storageWithWindows();
    await send(storage, 'wamid.B4', 'videollamada +57 300 444 5566 mañana 10:00');
    const other = await send(storage, 'wamid.B5', 'videollamada +57 300 777 8899 mañana 11:00');
    const which = await send(storage, 'wamid.C3', 'cancelar');
    assert.match(textOf(which.messages[0]?.content), /Tienes varias videollamadas agendadas/);
    const named = await send(storage, 'wamid.C4', 'cancelar +57 300 777 8899');
    assert.match(textOf(named.messages[0]?.content), /cancelé tu videollamada con \+57 300 7778899/);
    assert.notEqual((await storage.rooms.get(other.rooms[0]!.id))?.cancelledAtMs, undefined);
    await storage.close();
  });

  it('moves a booked call: the new time to both, the room living after it, its reminder due again', async () => {
    const storage = await storageWithWindows();
    const booked = await send(storage, 'wamid.B6', 'videollamada +57 300 444 5566 mañana 10:00');
    const roomId = booked.rooms[0]!.id;
    const effects = await send(storage, 'wamid.R1', 'cambiar el viernes 16:00');
    const friday = Date.parse('2026-12-04T21:00:00Z');
    assert.match(textOf(effects.messages[0]?.content), /ahora es el viernes, 4 de diciembre, 4:00 p\. m\./);
    const notice = effects.messages.find((m) => m.to === LUIS);
    assert.equal(notice?.id, `${roomId}:moved:${friday}`);
    assert.match(textOf(notice?.content), /cambió la videollamada para el viernes, 4 de diciembre/);
    const room = await storage.rooms.get(roomId);
    assert.deepEqual([room?.startsAtMs, room?.expiresAtMs], [friday, friday + 3_600_000]);
    // The dashboard's record lives as long as the links: not "missed" at the old time.
    const afterOldEnd = Date.parse('2026-12-02T16:30:00Z');
    const history = await storage.history.call(roomId, afterOldEnd);
    assert.equal(history?.call.expiresAtMs, friday + 3_600_000);
    assert.equal(history?.call.status, 'invited');
    assert.deepEqual(
      history?.timeline.map((entry) => entry.kind).filter((kind) => kind === 'moved'),
      ['moved'],
    );
    const questions = await send(storage, 'wamid.R2', 'cambiar');
    assert.match(textOf(questions.messages[0]?.content), /Escribe la nueva fecha y hora/);
    await storage.close();
  });
});
