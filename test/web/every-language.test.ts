import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LANGUAGES, preferredLanguage } from '../../src/protocol/language.js';
import { actionLabel, problemWords, PROBLEMS } from '../../src/protocol/problems.js';
import { parseCommand } from '../../src/whatsapp/invitations/commands.js';
import type { InboundMessage } from '../../src/whatsapp/invitations/inbound-message.js';
import { languageForWaId, textsFor } from '../../src/whatsapp/invitations/texts.js';
import { ALL_PAGE_TEXTS } from '../../web/i18n.js';
import { bookingTexts } from '../../src/scheduling/booking-texts.js';
import { SANDBOX_TEXTS } from '../../web/sandbox-texts.js';
import { ADMIN_TEXTS } from '../../web/admin-texts.js';

// Every text a person reads exists in Spanish, English and Portuguese: the bot's messages, the call page, the
// page for a link that cannot open, and the sandbox.

/** Keys present in some language of `catalogue` but missing (or empty) in another, as "language: key". */
function missing(catalogue: Readonly<Record<string, Readonly<Record<string, unknown>>>>): string[] {
  const keys = new Set(Object.values(catalogue).flatMap((texts) => Object.keys(texts)));
  return LANGUAGES.flatMap((language) =>
    [...keys]
      .filter((key) => {
        const value = catalogue[language]?.[key];
        return value === undefined || value === '';
      })
      .map((key) => `${language}: ${key}`),
  );
}

const text = (body: string, from = '5511912345678'): InboundMessage => ({
  id: 'w',
  from,
  type: 'text',
  text: { body },
});

describe('texts in every language', () => {
  it('lacks no key of the bot’s messages, the call page, the sandbox or the dashboard in any language', () => {
    const bot = Object.fromEntries(LANGUAGES.map((language) => [language, textsFor(language)]));
    assert.deepEqual(missing(bot), []);
    assert.deepEqual(missing(ALL_PAGE_TEXTS), []);
    assert.deepEqual(missing(SANDBOX_TEXTS), []);
    assert.deepEqual(missing(ADMIN_TEXTS), []);
    const booking = Object.fromEntries(LANGUAGES.map((language) => [language, bookingTexts(language)]));
    assert.deepEqual(missing(booking), []);
  });

  it('has words for every problem a link can have, and its button, in every language', () => {
    for (const language of LANGUAGES) {
      for (const problem of PROBLEMS) {
        const { title, text: sentence } = problemWords(problem, language);
        assert.ok(title.length > 0 && sentence.length > 0, `${language}: ${problem}`);
      }
      assert.ok(actionLabel('retry', language).length > 0);
      assert.ok(actionLabel('new-link', language).length > 0);
    }
  });

  it('speaks Portuguese to Brazilian and Portuguese numbers and user ids, and to browsers that ask for it', () => {
    assert.equal(languageForWaId('5511912345678'), 'pt');
    assert.equal(languageForWaId('351912345678'), 'pt');
    assert.equal(languageForWaId('BR.13491208655302741918'), 'pt');
    assert.equal(languageForWaId('573001112233'), 'es');
    assert.equal(languageForWaId('14155550123'), 'en');
    assert.equal(
      languageForWaId(undefined, 'pt'),
      'pt',
      'a line’s language for someone whose id says nothing',
    );
    assert.equal(preferredLanguage(['pt-BR', 'en']), 'pt');
    assert.equal(preferredLanguage(['fr', 'pt']), 'pt');
    assert.match(textsFor('pt').help(), /videochamada/);
  });

  it('reads Portuguese requests, choices and refusals', () => {
    const options = { defaultCountry: undefined };
    const invitee = (body: string) => {
      const { command, language } = parseCommand(text(body), options);
      return { invitee: command.kind === 'invite' ? command.invitee : command.kind, language };
    };
    assert.deepEqual(invitee('Videochamada 11 98765 4321'), { invitee: '5511987654321', language: 'pt' });
    assert.deepEqual(invitee('quero fazer uma videochamada com +55 21 99876 5432'), {
      invitee: '5521998765432',
      language: 'pt',
    });
    assert.deepEqual(invitee('videochamada +55 21 99876 5432 amanhã às 10h'), {
      invitee: '5521998765432',
      language: 'pt',
    });
    assert.deepEqual(parseCommand(text('Português'), options).command, {
      kind: 'set-language',
      language: 'pt',
    });
    assert.deepEqual(parseCommand(text('ajuda'), options), { command: { kind: 'help' }, language: 'pt' });
    assert.equal(parseCommand(text('Não posso'), options).command.kind, 'decline');
  });
});
