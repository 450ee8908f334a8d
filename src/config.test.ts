import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { ConfigError, ENV_VARIABLES, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs in sandbox mode with defaults when no WhatsApp token is set', () => {
    const config = loadConfig({});
    assert.equal(config.whatsapp.mode, 'sandbox');
    assert.equal(config.port, 8000);
    assert.equal(config.publicBaseUrl, 'http://localhost:8000');
    assert.equal(config.roomTtlSeconds, 24 * 3600);
    assert.deepEqual(config.iceServers, [{ urls: 'stun:stun.l.google.com:19302' }]);
    assert.ok(config.webhook.appSecrets[0].length >= 32, 'sandbox makes up an app secret');
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({ ICE_SERVERS_JSON: '[{"urls":["stun:a"]}]' });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.webhook));
    assert.ok(Object.isFrozen(config.iceServers[0]));
    assert.throws(() => ((config as { port: number }).port = 1), TypeError);
  });

  it('names every missing variable when a WhatsApp token is set', () => {
    const error = (() => {
      try {
        loadConfig({ WHATSAPP_TOKEN: 'x' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof ConfigError);
    const names = error.problems.map((p) => p.split(':')[0]);
    assert.deepEqual(names.sort(), ['APP_SECRET', 'PUBLIC_BASE_URL', 'VERIFY_TOKEN', 'WABA_PHONE_NUMBER_ID']);
  });

  it('names every bad variable at once', () => {
    assert.throws(
      () => loadConfig({ PORT: 'abc', ROOM_TTL: '1 week', DEFAULT_COUNTRY: 'XX', LOG_LEVEL: 'loud' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const names = error.problems.map((p) => p.split(':')[0]);
        assert.deepEqual(names.sort(), ['DEFAULT_COUNTRY', 'LOG_LEVEL', 'PORT', 'ROOM_TTL']);
        return true;
      },
    );
  });

  it('reads cloud settings and strips trailing slashes from URLs', () => {
    const config = loadConfig({
      WHATSAPP_TOKEN: 'token',
      APP_SECRET: 'secret',
      VERIFY_TOKEN: 'verify',
      WABA_PHONE_NUMBER_ID: '123',
      PUBLIC_BASE_URL: 'https://call.example.com/',
      GRAPH_API_BASE_URL: 'http://127.0.0.1:9/',
    });
    assert.deepEqual(config.whatsapp, {
      mode: 'cloud',
      graphApiBaseUrl: 'http://127.0.0.1:9',
      graphApiVersion: 'v25.0',
    });
    assert.deepEqual(
      config.lines.map((line) => [line.id, line.phoneNumberId, line.token]),
      [['main', '123', 'token']],
    );
    assert.equal(config.publicBaseUrl, 'https://call.example.com');
  });

  it('reads ROOM_TTL as seconds or with a unit', () => {
    assert.equal(loadConfig({ ROOM_TTL: '3600' }).roomTtlSeconds, 3600);
    assert.equal(loadConfig({ ROOM_TTL: '90m' }).roomTtlSeconds, 5400);
    assert.equal(loadConfig({ ROOM_TTL: '2d' }).roomTtlSeconds, 172800);
    assert.throws(() => loadConfig({ ROOM_TTL: '10s' }), ConfigError);
  });

  it('reads TRUST_PROXY as addresses or CIDRs, and TURN settings only as a pair', () => {
    assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustedProxies, [
      '127.0.0.1',
      '10.0.0.0/8',
    ]);
    assert.throws(
      () => loadConfig({ TRUST_PROXY: 'nginx' }),
      /TRUST_PROXY: "nginx" is not an IP address or CIDR/,
    );
    assert.throws(() => loadConfig({ TURN_SECRET: 's' }), /TURN_SECRET and TURN_URLS: set both, or neither/);
    assert.throws(
      () => loadConfig({ TURN_SECRET: 's', TURN_URLS: 'stun:x' }),
      /TURN_URLS: "stun:x" is not a turn/,
    );
    assert.deepEqual(loadConfig({ TURN_SECRET: 's', TURN_URLS: 'turn:a:3478,turns:a:443' }).turn, {
      secret: 's',
      urls: ['turn:a:3478', 'turns:a:443'],
      ttlSeconds: 21600,
    });
  });

  it('reads the bot’s display number as digits, and names one that is not a number', () => {
    assert.equal(
      loadConfig({ WHATSAPP_DISPLAY_NUMBER: '+57 300 000 1111' }).lines[0].botNumber,
      '573000001111',
    );
    assert.equal(loadConfig({}).lines[0].botNumber, undefined);
    assert.throws(
      () => loadConfig({ WHATSAPP_DISPLAY_NUMBER: '300 000 1111' }),
      /WHATSAPP_DISPLAY_NUMBER: "300 000 1111" is not a number with its country code/,
    );
  });

  it('reads the invitation template voice-call button, and refuses it while calls are not bridged', () => {
    const template = { WHATSAPP_INVITE_TEMPLATE: 'invitacion', WHATSAPP_DISPLAY_NUMBER: '+57 300 000 1111' };
    const on = loadConfig({
      ...template,
      WHATSAPP_CALLING: 'inbound',
      WHATSAPP_INVITE_TEMPLATE_VOICE_BUTTON_INDEX: '1',
    });
    assert.equal(on.lines[0].inviteTemplate?.voiceButtonIndex, 1);
    assert.equal(loadConfig(template).lines[0].inviteTemplate?.voiceButtonIndex, undefined);
    assert.throws(
      () => loadConfig({ ...template, WHATSAPP_INVITE_TEMPLATE_VOICE_BUTTON_INDEX: '1' }),
      /WHATSAPP_CALLING: line "main"'s invitation template has a voice-call button/,
    );
    assert.throws(
      () =>
        loadConfig({
          ...template,
          WHATSAPP_CALLING: 'inbound',
          WHATSAPP_INVITE_TEMPLATE_VOICE_BUTTON_INDEX: '0',
        }),
      /line "main": the invitation template's buttons need different positions/,
    );
    assert.throws(
      () => loadConfig({ WHATSAPP_CALLING: 'inbound' }),
      /WHATSAPP_CALLING: line "main" needs its number/,
    );
  });

  it('sends the voice bridge through TURN only when a turn: URL is there to use', () => {
    const turn = { TURN_SECRET: 's', TURN_URLS: 'turns:turn.example.com:443,turn:turn.example.com:3478' };
    assert.equal(loadConfig({}).calling.relay, false);
    assert.equal(loadConfig({ ...turn, CALL_BRIDGE_TURN: 'relay' }).calling.relay, true);
    for (const without of [{}, { TURN_SECRET: 's', TURN_URLS: 'turns:turn.example.com:443' }])
      assert.throws(
        () => loadConfig({ ...without, CALL_BRIDGE_TURN: 'relay' }),
        /CALL_BRIDGE_TURN: relay needs TURN_SECRET and a turn: URL in TURN_URLS/,
      );
  });

  it('reads the line’s time zone, for everyone only when asked, and names a zone that does not exist', () => {
    assert.deepEqual(loadConfig({ TIME_ZONE: 'America/Sao_Paulo' }).lines[0].timeZone, {
      zone: 'America/Sao_Paulo',
      forEveryone: false,
    });
    assert.equal(
      loadConfig({ TIME_ZONE: 'America/Bogota', TIME_ZONE_FOR_EVERYONE: 'true' }).lines[0].timeZone
        ?.forEveryone,
      true,
    );
    assert.throws(
      () => loadConfig({ TIME_ZONE: 'America/Atlantis' }),
      /TIME_ZONE: must be an IANA time zone/,
    );
    assert.throws(
      () => loadConfig({ TIME_ZONE_FOR_EVERYONE: 'true' }),
      /TIME_ZONE_FOR_EVERYONE: needs TIME_ZONE/,
    );
  });

  it('keeps DATA_DIR=:memory: in memory and resolves any other folder', () => {
    assert.equal(loadConfig({ DATA_DIR: ':memory:' }).dataDir, ':memory:');
    assert.equal(loadConfig({ DATA_DIR: 'data' }).dataDir, `${process.cwd()}/data`);
  });

  it('upper-cases DEFAULT_COUNTRY and rejects ICE_SERVERS_JSON that is not a list of servers', () => {
    assert.equal(loadConfig({ DEFAULT_COUNTRY: 'co' }).defaultCountry, 'CO');
    assert.throws(() => loadConfig({ ICE_SERVERS_JSON: '{' }), /ICE_SERVERS_JSON: is not valid JSON/);
    assert.throws(() => loadConfig({ ICE_SERVERS_JSON: '[{"url":"stun:x"}]' }), /ICE_SERVERS_JSON/);
  });

  it('is documented variable for variable in .env.example, which loads as it is', () => {
    const example = parseEnv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'));
    assert.deepEqual(Object.keys(example).sort(), [...ENV_VARIABLES].sort());
    assert.equal(loadConfig(example).whatsapp.mode, 'sandbox');
  });
});
