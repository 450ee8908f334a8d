import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand } from './commands.js';
import type { InboundMessage } from './inbound-message.js';

const SENDER = '573001112233';

function text(body: string, from: string | undefined = SENDER): InboundMessage {
  return { id: 'wamid.1', ...(from !== undefined && { from }), type: 'text', text: { body } };
}

/** The command, without the words a booked time is read from (the tests below look at those). */
function parse(message: InboundMessage) {
  const parsed = parseCommand(message, { defaultCountry: 'CO' });
  if (parsed.command.kind !== 'invite') return parsed;
  const { whenText: _words, ...command } = parsed.command;
  return { ...parsed, command };
}

function whenText(body: string): string | undefined {
  const { command } = parseCommand(text(body), { defaultCountry: 'CO' });
  return command.kind === 'invite' ? command.whenText?.replace(/\s+/g, ' ').trim() : undefined;
}

describe('parseCommand: booked calls', () => {
  it('keeps the words besides the number, where the time is read from', () => {
    assert.equal(whenText('videollamada +57 300 123 4567 mañana 10:00'), 'videollamada mañana 10:00');
    assert.equal(whenText('videocall +44 7911 123456 tomorrow 10am'), 'videocall tomorrow 10am');
  });

  for (const body of [
    'videollamada +57 300 123 4567 12/12 9am',
    'videollamada +573001234567 10:00',
    'videollamada 300 123 4567 15h30',
    'videollamada +57 300 123 4567 12 de diciembre 9am',
    'videollamada +57 300 123 4567 3pm',
  ]) {
    it(`does not read the date or time in "${body}" as part of the number`, () => {
      assert.deepEqual(parse(text(body)).command, { kind: 'invite', invitee: '573001234567' });
    });
  }

  it('reads cancel and reschedule, with or without the other person’s number', () => {
    const command = (body: string) => parseCommand(text(body), { defaultCountry: 'CO' });
    assert.deepEqual(command('cancelar'), {
      command: { kind: 'cancel', invitee: undefined },
      language: undefined,
    });
    assert.deepEqual(command('Cancel +57 300 123 4567').command, { kind: 'cancel', invitee: '573001234567' });
    assert.deepEqual(command('cambiar mañana 16:00'), {
      command: { kind: 'reschedule', invitee: undefined, whenText: ' mañana 16:00' },
      language: 'es',
    });
    const moved = command('reschedule +57 300 123 4567 tomorrow 4pm').command;
    assert.equal(moved.kind === 'reschedule' && moved.invitee, '573001234567');
    assert.equal(moved.kind === 'reschedule' && moved.whenText.replace(/\s+/g, ' ').trim(), 'tomorrow 4pm');
  });
});

describe('parseCommand', () => {
  for (const body of [
    'videollamada +573001234567',
    'videollamada 300 123 4567',
    'videollamada +57 300-123-4567',
    'Videollamada +57 (300) 123 4567',
    'VIDEOLLAMADA: 3001234567',
    'vídeollamada 0057 300 123 4567',
    '  videollamada\n+573001234567  ',
    'videollamada +573001234567 ¡gracias!',
  ]) {
    it(`invites +573001234567 from "${body.trim()}" in Spanish`, () => {
      assert.deepEqual(parse(text(body)), {
        command: { kind: 'invite', invitee: '573001234567' },
        language: 'es',
      });
    });
  }

  for (const body of ['videocall +573001234567', 'call +57 300 123 4567', 'Call 3001234567']) {
    it(`reads the English alias in "${body}"`, () => {
      assert.deepEqual(parse(text(body)), {
        command: { kind: 'invite', invitee: '573001234567' },
        language: 'en',
      });
    });
  }

  it("reads numbers without a country code in the sender's country", () => {
    assert.deepEqual(parse(text('videocall 650 555 1234', '16505550000')).command, {
      kind: 'invite',
      invitee: '16505551234',
    });
  });

  it('uses the default country for senders without a number', () => {
    const message: InboundMessage = {
      id: 'w',
      from_user_id: 'CO.1',
      type: 'text',
      text: { body: 'videollamada 3001234567' },
    };
    assert.deepEqual(parse(message).command, { kind: 'invite', invitee: '573001234567' });
  });

  it("refuses the sender's own number", () => {
    assert.deepEqual(parse(text('videollamada +57 300 111 2233')).command, { kind: 'self-invite' });
  });

  it('says what is wrong with a number it cannot read', () => {
    assert.deepEqual(parse(text('videollamada 12345')).command, { kind: 'invalid-number', input: '12345' });
  });

  it('names the country of a number written with its country code that is not valid there', () => {
    assert.deepEqual(parse(text('videocall +1 555 0100')).command, {
      kind: 'invalid-number',
      input: '+1 555 0100',
      international: { callingCode: '1', country: 'US' },
    });
    assert.deepEqual(parse(text('videollamada 0044 20 1234')).command, {
      kind: 'invalid-number',
      input: '0044 20 1234',
      international: { callingCode: '44', country: 'GB' },
    });
    assert.deepEqual(parse(text('videollamada +999 1234567')).command, {
      kind: 'invalid-number',
      input: '+999 1234567',
      international: { callingCode: undefined, country: undefined },
    });
  });

  it('asks for the number when it is missing, also when the call is mentioned in a sentence', () => {
    assert.deepEqual(parse(text('videollamada')), { command: { kind: 'missing-number' }, language: 'es' });
    assert.deepEqual(parse(text('videollamada mañana')).command, { kind: 'missing-number' });
    assert.deepEqual(parse(text('¿Puedo hacer una videollamada con mi mamá?')), {
      command: { kind: 'missing-number' },
      language: 'es',
    });
    assert.deepEqual(parse(text('how do I start a video call?')), {
      command: { kind: 'missing-number' },
      language: 'en',
    });
  });

  for (const [body, language] of [
    ['videollamada con +57 300 123 4567', 'es'],
    ['quiero hacer una videollamada a +57 300 123 4567', 'es'],
    ['videollamar a +57 300 123 4567', 'es'],
    ['videollamada para Luis +57 300 123 4567', 'es'],
    ['Hola! Quiero una video llamada con 300 123 4567 por favor', 'es'],
    ['+57 300 123 4567 videollamada', 'es'],
    ['please set up a video call with +57 300 123 4567', 'en'],
  ] as const) {
    it(`finds the call and the number in "${body}"`, () => {
      assert.deepEqual(parse(text(body)), {
        command: { kind: 'invite', invitee: '573001234567' },
        language,
      });
    });
  }

  it('does not guess between two numbers, and counts the same number twice as one', () => {
    assert.deepEqual(parse(text('videollamada +57 300 123 4567 o +57 300 765 4321')).command, {
      kind: 'ambiguous-number',
    });
    assert.deepEqual(parse(text('videollamada +57 300 123 4567 (+573001234567)')).command, {
      kind: 'invite',
      invitee: '573001234567',
    });
  });

  it('answers help, ayuda and anything else with help, in the language of the word when it tells', () => {
    assert.deepEqual(parse(text('ayuda')), { command: { kind: 'help' }, language: 'es' });
    assert.deepEqual(parse(text('HELP')), { command: { kind: 'help' }, language: 'en' });
    assert.deepEqual(parse(text('hola, ¿qué tal?')), { command: { kind: 'help' }, language: undefined });
    assert.deepEqual(parse(text('calling you later')).command, { kind: 'help' });
  });

  it('invites the contact of a shared contact card, by its WhatsApp id', () => {
    const message: InboundMessage = {
      id: 'w',
      from: SENDER,
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Luis Pérez' },
          phones: [{ phone: '+57 300 444 5566', wa_id: '573004445566' }],
        },
      ],
    };
    assert.deepEqual(parse(message).command, {
      kind: 'invite',
      invitee: '573004445566',
      inviteeName: 'Luis Pérez',
    });
  });

  it("reads a contact card's phone when it has no WhatsApp id, in the sender's country", () => {
    const message: InboundMessage = {
      id: 'w',
      from: SENDER,
      type: 'contacts',
      contacts: [{ name: { formatted_name: 'Luis' }, phones: [{ phone: '300 444 5566' }] }],
    };
    assert.deepEqual(parse(message).command, {
      kind: 'invite',
      invitee: '573004445566',
      inviteeName: 'Luis',
    });
  });

  it('explains a contact card without a phone number', () => {
    const message: InboundMessage = {
      id: 'w',
      from: SENDER,
      type: 'contacts',
      contacts: [{ name: { formatted_name: 'X' } }],
    };
    assert.deepEqual(parse(message).command, { kind: 'contact-without-number' });
  });

  it('ignores reactions, answers other message types with help', () => {
    assert.deepEqual(parse({ id: 'w', from: SENDER, type: 'reaction' }).command, { kind: 'ignore' });
    assert.deepEqual(parse({ id: 'w', from: SENDER, type: 'image' }).command, { kind: 'help' });
  });

  it('ignores edits, deletions and Meta’s unsupported notices (no help text for fixing a typo)', () => {
    // The shapes of Meta's messages webhook reference (edit, revoke) and of an unsupported message (131051).
    const edit = {
      id: 'wamid.edit',
      from: SENDER,
      type: 'edit',
      edit: {
        original_message_id: 'wamid.original',
        message: { type: 'text', text: { body: 'videollamada +57 300 444 5566' } },
      },
    };
    const revoke = {
      id: 'wamid.revoke',
      from: SENDER,
      type: 'revoke',
      revoke: { original_message_id: 'wamid.x' },
    };
    const unsupported = {
      id: 'wamid.unsupported',
      from: SENDER,
      type: 'unsupported',
      errors: [{ code: 131051, title: 'Message type unknown' }],
      unsupported: { type: 'poll' },
    };
    for (const message of [edit, revoke, unsupported]) {
      assert.deepEqual(parse(message).command, { kind: 'ignore' }, message.type);
    }
  });

  it('lets a person choose their language', () => {
    assert.deepEqual(parse(text('English')), {
      command: { kind: 'set-language', language: 'en' },
      language: 'en',
    });
    assert.deepEqual(parse(text('Español')).command, { kind: 'set-language', language: 'es' });
    assert.deepEqual(parse(text('idioma español')).command, { kind: 'set-language', language: 'es' });
  });

  it('reads a decline in words, or from a reply button with its room', () => {
    assert.deepEqual(parse(text('No puedo')), {
      command: { kind: 'decline', roomId: undefined },
      language: 'es',
    });
    assert.deepEqual(parse(text('can’t')).command, { kind: 'decline', roomId: undefined });
    assert.deepEqual(
      parse({ id: 'w', from: SENDER, type: 'button', button: { payload: 'decline:ROOM', text: 'No puedo' } })
        .command,
      {
        kind: 'decline',
        roomId: 'ROOM',
      },
    );
    assert.deepEqual(
      parse({
        id: 'w',
        from: SENDER,
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'decline:R2' } },
      }).command,
      { kind: 'decline', roomId: 'R2' },
    );
  });
});
