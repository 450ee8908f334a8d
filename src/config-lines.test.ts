import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

const CLOUD = {
  WHATSAPP_TOKEN: 'system-user-token',
  APP_SECRET: 'app-secret-1',
  VERIFY_TOKEN: 'verify',
  PUBLIC_BASE_URL: 'https://call.example.com',
};

const TWO_LINES = [
  {
    id: 'norte',
    phoneNumberId: '111111111111111',
    displayName: 'Clínica Norte',
    displayNumber: '+57 601 555 0101',
    defaultCountry: 'co',
    inviteTemplate: { name: 'cita_norte', language: 'es_CO', buttonIndex: 1 },
    maxSendsPerSecond: 20,
    invitesPerSenderPerHour: 3,
    pairCooldown: '5m',
  },
  {
    id: 'sur',
    phoneNumberId: '222222222222222',
    token: 'token-of-sur',
    appSecret: 'app-secret-2',
    language: 'en',
    inviteTemplate: null,
    allowedSenders: ['+44 7911 123456'],
  },
];

/** The problems loadConfig names for `env`. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('the configuration was accepted');
}

describe('lines (several business numbers)', () => {
  it('makes the single-number variables one line, "main", as before', () => {
    const config = loadConfig({
      ...CLOUD,
      WABA_PHONE_NUMBER_ID: '106540352242922',
      WHATSAPP_INVITE_TEMPLATE: 'invitacion',
      WHATSAPP_MAX_SENDS_PER_SECOND: '40',
      DEFAULT_COUNTRY: 'mx',
    });
    assert.equal(config.lines.length, 1);
    const [line] = config.lines;
    assert.equal(line.id, 'main');
    assert.equal(line.phoneNumberId, '106540352242922');
    assert.equal(line.token, 'system-user-token');
    assert.equal(line.inviteTemplate?.name, 'invitacion');
    assert.equal(line.maxSendsPerSecond, 40);
    assert.equal(line.defaultCountry, 'MX');
    assert.deepEqual(config.webhook.appSecrets, ['app-secret-1']);
  });

  it('declares lines in WHATSAPP_LINES_JSON, each field it leaves out taken from the single-number variables', () => {
    const config = loadConfig({
      ...CLOUD,
      WHATSAPP_LINES_JSON: JSON.stringify(TWO_LINES),
      WHATSAPP_MAX_SENDS_PER_SECOND: '50',
      INVITES_PER_SENDER_PER_HOUR: '7',
      WHATSAPP_INVITE_TEMPLATE: 'invitacion_general',
    });
    assert.equal(config.whatsapp.mode, 'cloud');
    const [norte, sur] = config.lines;
    assert.deepEqual(
      {
        id: norte.id,
        token: norte.token,
        botNumber: norte.botNumber,
        country: norte.defaultCountry,
        template: norte.inviteTemplate,
        cap: norte.maxSendsPerSecond,
        limits: norte.invitationLimits,
      },
      {
        id: 'norte',
        token: 'system-user-token',
        botNumber: '576015550101',
        country: 'CO',
        template: {
          name: 'cita_norte',
          language: 'es_CO',
          nameParameter: '1',
          buttonIndex: 1,
          declineButtonIndex: undefined,
          voiceButtonIndex: undefined,
        },
        cap: 20,
        limits: { perSenderPerHour: 3, pairCooldownSeconds: 300, allowedSenders: undefined },
      },
    );
    assert.equal(sur?.token, 'token-of-sur');
    assert.equal(sur?.language, 'en');
    assert.equal(sur?.inviteTemplate, undefined, 'null turns the shared template off for this line');
    assert.equal(sur?.maxSendsPerSecond, 50);
    assert.deepEqual(sur?.invitationLimits, {
      perSenderPerHour: 7,
      pairCooldownSeconds: 120,
      allowedSenders: ['447911123456'],
    });
    assert.deepEqual(config.webhook.appSecrets, ['app-secret-1', 'app-secret-2']);
  });

  it('reads the same declaration from the file WHATSAPP_LINES_FILE names', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'wwb-lines-')), 'lines.json');
    writeFileSync(file, JSON.stringify(TWO_LINES));
    const config = loadConfig({ ...CLOUD, WHATSAPP_LINES_FILE: file });
    assert.deepEqual(
      config.lines.map((line) => line.id),
      ['norte', 'sur'],
    );
  });

  it('simulates several lines in the sandbox when none has a token', () => {
    const lines = TWO_LINES.map(({ id, phoneNumberId, displayName }) => ({ id, phoneNumberId, displayName }));
    const config = loadConfig({ WHATSAPP_LINES_JSON: JSON.stringify(lines) });
    assert.equal(config.whatsapp.mode, 'sandbox');
    assert.deepEqual(
      config.lines.map((line) => [line.id, line.token]),
      [
        ['norte', undefined],
        ['sur', undefined],
      ],
    );
  });

  it('names every bad field of every line at once, by its place', () => {
    const problems = problemsOf({
      ...CLOUD,
      WHATSAPP_LINES_JSON: JSON.stringify([
        { id: 'Norte Principal', phoneNumberId: '+57 601', language: 'fr', color: 'blue' },
        { id: 'sur', phoneNumberId: '2', maxSendsPerSecond: -1, inviteTemplate: { language: 'spanish' } },
      ]),
    });
    for (const where of [
      'WHATSAPP_LINES_JSON[0]: ',
      'WHATSAPP_LINES_JSON[0].id: ',
      'WHATSAPP_LINES_JSON[0].phoneNumberId: ',
      'WHATSAPP_LINES_JSON[0].language: ',
      'WHATSAPP_LINES_JSON[1].maxSendsPerSecond: ',
      'WHATSAPP_LINES_JSON[1].inviteTemplate.name: ',
      'WHATSAPP_LINES_JSON[1].inviteTemplate.language: ',
    ]) {
      assert.ok(
        problems.some((problem) => problem.startsWith(where)),
        `no problem named ${where}: ${problems.join(' | ')}`,
      );
    }
    assert.ok(
      problems.some((problem) => problem.includes('color')),
      'the unknown field is named',
    );
  });

  it('refuses lines declared twice, a token on some lines only, and WABA_PHONE_NUMBER_ID beside the list', () => {
    const twice = problemsOf({
      ...CLOUD,
      WHATSAPP_LINES_JSON: JSON.stringify([
        { id: 'a', phoneNumberId: '1' },
        { id: 'a', phoneNumberId: '1' },
      ]),
    });
    assert.ok(twice.includes('WHATSAPP_LINES_JSON[1].id: "a" is declared twice'));
    assert.ok(twice.includes('WHATSAPP_LINES_JSON[1].phoneNumberId: "1" is declared twice'));

    const { WHATSAPP_TOKEN, ...noSharedToken } = CLOUD;
    const oneToken = problemsOf({
      ...noSharedToken,
      WHATSAPP_LINES_JSON: JSON.stringify([
        { id: 'a', phoneNumberId: '1', token: 't' },
        { id: 'b', phoneNumberId: '2' },
      ]),
    });
    assert.ok(oneToken.some((problem) => problem.startsWith('WHATSAPP_LINES_JSON[1].token: ')));

    const both = problemsOf({
      ...CLOUD,
      WABA_PHONE_NUMBER_ID: '3',
      WHATSAPP_LINES_JSON: JSON.stringify([{ id: 'a', phoneNumberId: '1' }]),
    });
    assert.ok(both.some((problem) => problem.startsWith('WABA_PHONE_NUMBER_ID and WHATSAPP_LINES_JSON')));
    assert.ok(
      problemsOf({ WHATSAPP_LINES_JSON: '[{"id": "a",' }).includes('WHATSAPP_LINES_JSON: is not valid JSON'),
    );
    assert.ok(
      problemsOf({ WHATSAPP_LINES_FILE: '/nonexistent/lines.json' })[0]?.startsWith('WHATSAPP_LINES_FILE'),
    );
  });
});
