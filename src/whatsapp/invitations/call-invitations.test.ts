import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InviteTemplate } from '../../config.js';
import { invitationSettings, TEST_LIMITS } from '../../../test/helpers/invitation-settings.js';
import { seatForKey, type Room } from '../../rooms/room.js';
import { createStorage } from '../../storage/storage.js';
import { commitReply, planReply, type InvitationSettings } from './call-invitations.js';
import type { MessageContent } from '../outbox/outbox.js';
import { readVoicePayload, voicePayloadValid } from '../../calling/voice-payload.js';
import type { InboundMessage } from './inbound-message.js';

const ANA = '573001112233';
const LUIS = '573004445566';
const NOW = 1_800_000_000_000;
const LIMITS = TEST_LIMITS;
const TEMPLATE: InviteTemplate = {
  name: 'videollamada_invitacion',
  language: 'es_CO',
  nameParameter: '1',
  buttonIndex: 0,
  declineButtonIndex: undefined,
  voiceButtonIndex: undefined,
};

const settings = invitationSettings;

/** Plans a reply against a fresh store in which `wroteRecently` wrote to the bot an hour ago. */
async function plan(
  message: Partial<InboundMessage>,
  options: { settings?: InvitationSettings; wroteRecently?: string[]; senderName?: string } = {},
) {
  const storage = createStorage({ dataDir: ':memory:' });
  for (const person of options.wroteRecently ?? []) {
    await storage.ledger.commit(
      `hi-${person}`,
      { rooms: [], messages: [], inbound: { person, line: 'main', atMs: NOW - 3_600_000 } },
      NOW,
    );
  }
  const planned = await planReply(
    {
      message: { id: 'wamid.IN', from: ANA, type: 'text', ...message },
      senderName: options.senderName ?? 'Ana',
    },
    options.settings ?? settings(),
    storage,
    NOW,
  );
  return { effects: 'guard' in planned ? planned.effects : planned, storage };
}

function textOf(content: MessageContent | undefined): string {
  const c = content as { text?: { body: string }; interactive?: { body: { text: string } } } | undefined;
  return c?.text?.body ?? c?.interactive?.body.text ?? '';
}

function buttonUrl(content: MessageContent | undefined): URL {
  const url = (content as unknown as { interactive: { action: { parameters: { url: string } } } }).interactive
    .action.parameters.url;
  return new URL(url);
}

function seatOf(room: Room, url: URL): number | undefined {
  const key = new URLSearchParams(url.hash.slice(1)).get('k') ?? url.searchParams.get('k') ?? '';
  return seatForKey(room, key);
}

const invite = { text: { body: 'videollamada +57 300 444 5566' } };

/** What a plan writes when no limit refuses it. */
async function planEffects(...args: Parameters<typeof planReply>) {
  const planned = await planReply(...args);
  return 'guard' in planned ? planned.effects : planned;
}

describe('planReply: who gets what', () => {
  it('invitee inside their window: a "Join" button each, each opening their own seat', async () => {
    const { effects } = await plan(invite, { wroteRecently: [LUIS] });
    const room = effects.rooms[0]!;
    assert.equal(room.expiresAtMs, NOW + 3600 * 1000);
    const [inviter, invitee] = effects.messages;
    assert.deepEqual(
      effects.messages.map((m) => [m.id, m.kind, m.to, m.roomId]),
      [
        ['wamid.IN:inviter', 'inviter-link', ANA, room.id],
        ['wamid.IN:invitee', 'invitation', LUIS, room.id],
      ],
    );
    for (const [message, seat] of [
      [inviter, 0],
      [invitee, 1],
    ] as const) {
      assert.equal(message?.content.type, 'interactive');
      const url = buttonUrl(message?.content);
      assert.equal(url.origin + url.pathname, `https://call.example.com/room/${room.id}`);
      assert.equal(seatOf(room, url), seat);
    }
    assert.equal(
      (invitee?.content as unknown as { interactive: { action: { parameters: { display_text: string } } } })
        .interactive.action.parameters.display_text,
      'Unirse',
    );
    assert.match(textOf(invitee?.content), /^Ana \(\+57 300 1112233\) te invita a una videollamada/);
    assert.match(textOf(inviter?.content), /También le envié a \+57 300 4445566 su propio enlace/);
  });

  it('invitee who never wrote and no template: nothing to the invitee; the inviter gets their link, then a short link to forward', async () => {
    const { effects } = await plan(invite);
    const room = effects.rooms[0]!;
    assert.deepEqual(
      effects.messages.map((m) => [m.id, m.to]),
      [
        ['wamid.IN:inviter', ANA],
        ['wamid.IN:forward', ANA],
      ],
    );
    const [own, forward] = effects.messages;
    // The link to keep: the inviter's seat, and no word about forwarding in that bubble.
    assert.equal(seatOf(room, buttonUrl(own?.content)), 0);
    assert.doesNotMatch(textOf(own?.content), /envía|reenv/i);
    assert.match(textOf(own?.content), /solo para ti/);
    // The link to pass on: short, on our own domain, carrying the invitee's seat.
    assert.match(textOf(forward?.content), /^\+57 300 4445566 aún no le ha escrito a este número/);
    const short = buttonUrl(forward?.content);
    assert.equal(short.origin + short.pathname, `https://call.example.com/i/${room.id}`);
    assert.equal(seatOf(room, short), 1);
    assert.ok(short.href.length < 90, short.href);
    assert.equal(
      (forward?.content as unknown as { interactive: { action: { parameters: { display_text: string } } } })
        .interactive.action.parameters.display_text,
      'Enviar invitación',
    );
  });

  it('on plain http (the sandbox) both inviter messages are text with the link written out', async () => {
    const { effects } = await plan(invite, {
      settings: settings({ publicBaseUrl: 'http://localhost:3000' }),
    });
    const [own, forward] = effects.messages.map((m) => textOf(m.content));
    assert.match(own!, /Tu enlace, solo para ti \(no lo compartas\):\nhttp:\/\/localhost:3000\/room\/\S+#k=/);
    assert.match(forward!, /con la invitación ya escrita\.\nhttp:\/\/localhost:3000\/i\/\S+\?k=\S+$/);
  });

  it('invitee outside the window with a template configured: the template, with the name and the link suffix', async () => {
    const { effects } = await plan(invite, { settings: settings({ inviteTemplate: TEMPLATE }) });
    const invitation = effects.messages[1]!;
    const room = effects.rooms[0]!;
    const template = (
      invitation.content as unknown as {
        template: {
          name: string;
          language: { code: string };
          components: { type: string; parameters: { text: string }[]; index?: string; sub_type?: string }[];
        };
      }
    ).template;
    assert.equal(invitation.content.type, 'template');
    assert.equal(template.name, 'videollamada_invitacion');
    assert.deepEqual(template.language, { code: 'es_CO' });
    assert.deepEqual(template.components[0], {
      type: 'body',
      parameters: [{ type: 'text', text: 'Ana (+57 300 1112233)' }],
    });
    const button = template.components[1]!;
    assert.equal(button.sub_type, 'url');
    assert.equal(button.index, '0');
    const suffix = button.parameters[0]!.text;
    assert.equal(seatOf(room, new URL(`https://call.example.com/room/${suffix}`)), 1);
    assert.match(textOf(effects.messages[0]?.content), /También le envié/);
  });

  it('a template with a voice-call button carries the invitee seat payload, for as long as the room lives', async () => {
    const { effects } = await plan(invite, {
      settings: settings({
        inviteTemplate: { ...TEMPLATE, voiceButtonIndex: 1 },
        voiceCallNumber: '15550001111',
      }),
    });
    const room = effects.rooms[0]!;
    const components = (
      effects.messages[1]!.content as unknown as {
        template: { components: { sub_type?: string; index?: string; parameters: object[] }[] };
      }
    ).template.components;
    const voice = components.find((c) => c.sub_type === 'voice_call')!;
    assert.equal(voice.index, '1');
    const [ttl, payload] = voice.parameters as [
      { type: string; ttl_minutes: number },
      { type: string; payload: string },
    ];
    // The room lives an hour (roomTtlSeconds): so does the button.
    assert.deepEqual(ttl, { type: 'ttl_minutes', ttl_minutes: 60 });
    assert.equal(payload.type, 'payload');
    const read = readVoicePayload(payload.payload)!;
    assert.deepEqual([read.roomId, read.seat], [room.id, 1]);
    assert.ok(voicePayloadValid(read, room.seats[1].keyHash));
  });

  it('a template with a voice-call button leaves it alone while calls are not bridged', async () => {
    const { effects } = await plan(invite, {
      settings: settings({ inviteTemplate: { ...TEMPLATE, voiceButtonIndex: 1 } }),
    });
    const components = (
      effects.messages[1]!.content as unknown as { template: { components: { sub_type?: string }[] } }
    ).template.components;
    assert.deepEqual(
      components.map((c) => c.sub_type),
      [undefined, 'url'],
    );
  });

  it('uses a named template parameter when configured by name', async () => {
    const { effects } = await plan(invite, {
      settings: settings({ inviteTemplate: { ...TEMPLATE, nameParameter: 'inviter' } }),
    });
    const components = (
      effects.messages[1]!.content as unknown as { template: { components: { parameters: object[] }[] } }
    ).template.components;
    assert.deepEqual(components[0]?.parameters[0], {
      type: 'text',
      parameter_name: 'inviter',
      text: 'Ana (+57 300 1112233)',
    });
  });

  it('falls back to text with the link where a button cannot be used (not https)', async () => {
    const { effects } = await plan(invite, {
      settings: settings({ publicBaseUrl: 'http://localhost:8000' }),
      wroteRecently: [LUIS],
    });
    for (const message of effects.messages) {
      assert.equal(message.content.type, 'text');
      assert.match(textOf(message.content), /http:\/\/localhost:8000\/room\/[\w-]{22}#k=[\w-]{22}/);
    }
  });

  it('writes to each person in their language', async () => {
    const { effects } = await plan(
      { text: { body: 'videocall +1 650 555 1234' } },
      { wroteRecently: ['16505551234'] },
    );
    assert.match(
      textOf(effects.messages[0]?.content),
      /^Done ✅ Your video call with \+1 650 555 1234 is ready/,
    );
    assert.match(textOf(effects.messages[1]?.content), /invites you to a video call/);
  });

  it('records when the sender wrote, by the message timestamp', async () => {
    const { effects } = await plan({ text: { body: 'hola' }, timestamp: String((NOW - 5000) / 1000) });
    assert.deepEqual(effects.inbound, { person: ANA, line: 'main', atMs: NOW - 5000 });
  });
});

describe('planReply: limits', () => {
  it('answers senders outside ALLOWED_SENDERS without creating a room', async () => {
    const { effects } = await plan(invite, {
      settings: settings({ limits: { ...LIMITS, allowedSenders: ['16505551234'] } }),
    });
    assert.equal(effects.rooms.length, 0);
    assert.match(
      textOf(effects.messages[0]?.content),
      /solo crea videollamadas para los números autorizados/,
    );
  });

  it('refuses more invitations per hour than configured, and the same pair within the cool-down', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    const send = async (id: string, body: string, atMs: number) => {
      const planned = await planReply(
        { message: { id, from: ANA, type: 'text', text: { body } }, senderName: 'Ana' },
        settings({ limits: { ...LIMITS, perSenderPerHour: 2 } }),
        storage,
        atMs,
      );
      const { effects } = await commitReply(storage.ledger, id, planned, atMs);
      assert.ok(effects !== undefined);
      return effects;
    };
    assert.equal((await send('1', 'videollamada +57 300 444 5566', NOW)).rooms.length, 1);
    const again = await send('2', 'videollamada +57 300 444 5566', NOW + 60_000);
    assert.equal(again.rooms.length, 0);
    assert.match(textOf(again.messages[0]?.content), /Acabas de invitar a \+57 300 4445566/);
    assert.equal((await send('3', 'videollamada +57 300 444 5566', NOW + 121_000)).rooms.length, 1);
    const third = await send('4', 'videollamada +57 300 777 8899', NOW + 122_000);
    assert.equal(third.rooms.length, 0);
    assert.match(textOf(third.messages[0]?.content), /Ya creaste 2 videollamadas en la última hora/);
  });
});

describe('limits under concurrency', () => {
  it('lets only one of many simultaneous invitations through when one call is left this hour', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    const limited = settings({ limits: { ...LIMITS, perSenderPerHour: 1 } });
    const numbers = ['573004445566', '573007778899', '573001231234', '573009876543', '573005550000'];
    // Every plan is made before any is written, as when deliveries arrive at once: each sees no call yet.
    const planned = await Promise.all(
      numbers.map((number, i) =>
        planReply(
          {
            message: { id: `in-${i}`, from: ANA, type: 'text', text: { body: `videollamada +${number}` } },
            senderName: 'Ana',
          },
          limited,
          storage,
          NOW,
        ).then((plan) => ({ id: `in-${i}`, plan })),
      ),
    );
    const outcomes = await Promise.all(
      planned.map(({ id, plan }) => commitReply(storage.ledger, id, plan, NOW)),
    );
    assert.deepEqual(outcomes.map((o) => o.outcome).sort(), [
      'created',
      'too-many',
      'too-many',
      'too-many',
      'too-many',
    ]);
    assert.equal(await storage.rooms.countCreatedBy(ANA, NOW - 3_600_000, 'main'), 1);
  });
});

describe('planReply: other messages', () => {
  it('replies with help, and nothing else, to anything that is not a command', async () => {
    const { effects } = await plan({ text: { body: 'hola' } });
    assert.equal(effects.rooms.length, 0);
    assert.deepEqual(
      effects.messages.map((m) => [m.id, m.kind, m.to]),
      [['wamid.IN:reply', 'reply', ANA]],
    );
    assert.match(textOf(effects.messages[0]?.content), /videollamada/);
  });

  it('says clearly what is wrong with a bad number or the sender’s own', async () => {
    assert.match(
      textOf((await plan({ text: { body: 'videollamada 123' } })).effects.messages[0]?.content),
      /No reconozco "123"/,
    );
    assert.match(
      textOf((await plan({ text: { body: 'videollamada +573001112233' } })).effects.messages[0]?.content),
      /tu propio número/,
    );
    assert.match(
      textOf((await plan({ text: { body: 'call' } })).effects.messages[0]?.content),
      /number is missing/,
    );
  });

  it('names the country whose number is not valid, in the person’s language, and asks which of two numbers', async () => {
    const reply = async (body: string) =>
      textOf((await plan({ text: { body } })).effects.messages[0]?.content);
    assert.match(
      await reply('videollamada +1 555 0100'),
      /^"\+1 555 0100" no es un número válido de Estados Unidos \(\+1\)\. Revisa los dígitos/,
    );
    assert.match(
      await reply('videocall +1 555 0100'),
      /^"\+1 555 0100" is not a valid United States number \(\+1\)\. Check the digits/,
    );
    assert.match(await reply('videollamada +999 1234567'), /^Ningún país tiene el código/);
    assert.match(
      await reply('videollamada +57 300 444 5566 o +57 300 777 8899'),
      /^Veo más de un número en tu mensaje/,
    );
  });

  it('invites a shared contact', async () => {
    const { effects } = await plan({
      type: 'contacts',
      contacts: [{ name: { formatted_name: 'Luis' }, phones: [{ wa_id: LUIS }] }],
    });
    assert.equal(effects.rooms.length, 1);
    assert.match(textOf(effects.messages[0]?.content), /con Luis \(\+57 300 4445566\)/);
  });

  it('answers people with a username through their user id', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    const effects = await planEffects(
      {
        message: { id: 'w', from_user_id: 'CO.1349', type: 'text', text: { body: 'ayuda' } },
        senderName: undefined,
      },
      settings(),
      storage,
      NOW,
    );
    assert.equal(effects.messages[0]?.to, 'CO.1349');
  });

  it('sends nothing for reactions, but they still open the window', async () => {
    const { effects } = await plan({ type: 'reaction' });
    assert.deepEqual(effects.messages, []);
    assert.equal(effects.inbound?.person, ANA);
  });
});

describe('planReply: declining and languages', () => {
  async function invited() {
    const storage = createStorage({ dataDir: ':memory:' });
    const first = await planEffects(
      {
        message: { id: 'in-1', from: ANA, type: 'text', text: { body: 'videollamada +57 300 444 5566' } },
        senderName: 'Ana',
      },
      settings(),
      storage,
      NOW,
    );
    await storage.ledger.commit('in-1', first, NOW);
    return { storage, room: first.rooms[0]! };
  }

  it('tells the inviter once when the invitee declines, in words or with the button', async () => {
    const { storage, room } = await invited();
    const decline = await planEffects(
      { message: { id: 'in-2', from: LUIS, type: 'text', text: { body: 'no puedo' } }, senderName: 'Luis' },
      settings(),
      storage,
      NOW + 1000,
    );
    assert.deepEqual(
      decline.messages.map((m) => [m.id, m.to]),
      [
        ['in-2:reply', LUIS],
        [`${room.id}:declined`, ANA],
      ],
    );
    assert.match(textOf(decline.messages[0]?.content), /Entendido, le avisé a Ana \(\+57 300 1112233\)/);
    assert.match(textOf(decline.messages[1]?.content), /^Luis \(\+57 300 4445566\) no puede unirse/);
    await storage.ledger.commit('in-2', decline, NOW + 1000);
    const again = await planEffects(
      {
        message: { id: 'in-3', from: LUIS, type: 'button', button: { payload: `decline:${room.id}` } },
        senderName: 'Luis',
      },
      settings(),
      storage,
      NOW + 2000,
    );
    await storage.ledger.commit('in-3', again, NOW + 2000);
    assert.equal(
      (await storage.outbox.get(`${room.id}:declined`))?.to,
      ANA,
      'one notice for the room, however often declined',
    );
  });

  it('says there is nothing to decline to someone without an invitation', async () => {
    const { storage } = await invited();
    const decline = await planEffects(
      {
        message: { id: 'in-2', from: '573007778899', type: 'text', text: { body: 'no puedo' } },
        senderName: undefined,
      },
      settings(),
      storage,
      NOW,
    );
    assert.match(textOf(decline.messages[0]?.content), /No tienes ninguna invitación pendiente/);
    assert.equal(decline.messages.length, 1);
  });

  it('writes in the language a person chose, over their number', async () => {
    const storage = createStorage({ dataDir: ':memory:' });
    const choose = await planEffects(
      { message: { id: 'l', from: ANA, type: 'text', text: { body: 'english' } }, senderName: 'Ana' },
      settings(),
      storage,
      NOW,
    );
    assert.match(textOf(choose.messages[0]?.content), /in English/);
    await storage.ledger.commit('l', choose, NOW);
    const help = await planEffects(
      { message: { id: 'h', from: ANA, type: 'text', text: { body: 'hola' } }, senderName: 'Ana' },
      settings(),
      storage,
      NOW,
    );
    assert.match(textOf(help.messages[0]?.content), /^Hi/);
  });
});
