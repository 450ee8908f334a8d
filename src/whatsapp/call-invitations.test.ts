import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seatForKey } from '../rooms/room.js';
import { planReply } from './call-invitations.js';
import type { InboundMessage } from './webhook-payload.js';

const settings = {
  publicBaseUrl: 'https://call.example.com',
  roomTtlSeconds: 3600,
  defaultCountry: undefined,
};
const NOW = 1_800_000_000_000;

function plan(
  message: Partial<InboundMessage> & { text?: { body: string } },
  senderName: string | undefined = 'Ana',
) {
  return planReply(
    { message: { id: 'wamid.IN', from: '573001112233', type: 'text', ...message }, senderName },
    settings,
    NOW,
  );
}

function bodyOf(content: unknown): string {
  return (content as { text: { body: string } }).text.body;
}

function linkIn(text: string): URL {
  const match = /https:\/\/\S+/.exec(text);
  assert.ok(match, `no link in: ${text}`);
  return new URL(match[0]);
}

describe('planReply', () => {
  it('creates one room and sends each person a link to their own seat', () => {
    const effects = plan({ text: { body: 'videollamada +57 300 444 5566' } });
    assert.equal(effects.rooms.length, 1);
    const room = effects.rooms[0]!;
    assert.equal(room.expiresAtMs, NOW + 3600 * 1000);
    assert.deepEqual(
      effects.messages.map((m) => [m.id, m.to, m.roomId]),
      [
        ['wamid.IN:inviter', '573001112233', room.id],
        ['wamid.IN:invitee', '573004445566', room.id],
      ],
    );
    effects.messages.forEach((message, seat) => {
      const link = linkIn(bodyOf(message.content));
      assert.equal(link.origin + link.pathname, `https://call.example.com/room/${room.id}`);
      assert.equal(seatForKey(room, new URLSearchParams(link.hash.slice(1)).get('k') ?? ''), seat);
    });
  });

  it('names each person to the other, in each one’s language', () => {
    const effects = plan({ text: { body: 'videollamada +1 650 555 1234' } });
    const [inviter, invitee] = effects.messages.map((m) => bodyOf(m.content));
    assert.match(inviter!, /^Listo ✅ Tu videollamada con \+1 650 555 1234 está lista/);
    assert.match(invitee!, /^Ana \(\+57 300 1112233\) invites you to a video call/);
  });

  it('sends text with link previews', () => {
    const effects = plan({ text: { body: 'videollamada +57 300 444 5566' } });
    assert.deepEqual(effects.messages[0]!.content.text, {
      body: bodyOf(effects.messages[0]!.content),
      preview_url: true,
    });
  });

  it('answers in English when the command was English', () => {
    const effects = plan({ text: { body: 'videocall +57 300 444 5566' } });
    assert.match(bodyOf(effects.messages[0]!.content), /^Done ✅/);
  });

  it('replies with help, and nothing else, to anything that is not a command', () => {
    const effects = plan({ text: { body: 'hola' } });
    assert.equal(effects.rooms.length, 0);
    assert.deepEqual(
      effects.messages.map((m) => [m.id, m.to]),
      [['wamid.IN:reply', '573001112233']],
    );
    assert.match(bodyOf(effects.messages[0]!.content), /videollamada/);
  });

  it('says clearly what is wrong with a bad number or the sender’s own', () => {
    assert.match(
      bodyOf(plan({ text: { body: 'videollamada 123' } }).messages[0]!.content),
      /No reconozco "123"/,
    );
    assert.match(
      bodyOf(plan({ text: { body: 'videollamada +573001112233' } }).messages[0]!.content),
      /tu propio número/,
    );
    assert.match(bodyOf(plan({ text: { body: 'call' } }).messages[0]!.content), /number is missing/);
  });

  it('invites a shared contact', () => {
    const effects = plan({
      type: 'contacts',
      contacts: [{ name: { formatted_name: 'Luis' }, phones: [{ wa_id: '573004445566' }] }],
    });
    assert.equal(effects.rooms.length, 1);
    assert.match(bodyOf(effects.messages[0]!.content), /con Luis \(\+57 300 4445566\)/);
  });

  it('answers people with a username through their user id', () => {
    const effects = planReply(
      {
        message: { id: 'w', from_user_id: 'CO.1349', type: 'text', text: { body: 'ayuda' } },
        senderName: undefined,
      },
      settings,
      NOW,
    );
    assert.equal(effects.messages[0]?.to, 'CO.1349');
  });

  it('does nothing for reactions', () => {
    assert.deepEqual(plan({ type: 'reaction' }), { rooms: [], messages: [] });
  });
});
