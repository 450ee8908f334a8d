import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './config.js';
import { startSummary } from './start-summary.js';

const cloud = {
  WHATSAPP_TOKEN: 't',
  WABA_PHONE_NUMBER_ID: '106540352242922',
  VERIFY_TOKEN: 'v',
  APP_SECRET: 's',
};

describe('startSummary', () => {
  it('tells a newcomer in sandbox mode where to try the bot, in Spanish and English', () => {
    const { lines, warnings } = startSummary(loadConfig({}), 'http://0.0.0.0:8000');
    assert.ok(lines.some((line) => line.includes('http://localhost:8000/sandbox')));
    assert.ok(lines.some((line) => line.startsWith('Modo sandbox') && line.includes('Sandbox mode')));
    assert.deepEqual(warnings, []);
  });

  it('points to the dashboard, and says how to set its password when none is set', () => {
    const none = startSummary(loadConfig({}), 'x', { passwordSet: false });
    assert.ok(
      none.lines.some(
        (line) =>
          line ===
          'Panel / Dashboard: http://localhost:8000/admin (sin contraseña aún / no password yet: npm run operator -- set-password)',
      ),
    );
    const set = startSummary(loadConfig({}), 'x', { passwordSet: true });
    assert.ok(set.lines.includes('Panel / Dashboard: http://localhost:8000/admin'));
  });

  it('warns when a real number is served from a plain http address', () => {
    const http = startSummary(loadConfig({ ...cloud, PUBLIC_BASE_URL: 'http://calls.example.com' }), 'x');
    assert.equal(http.warnings.length, 1);
    assert.match(http.warnings[0] ?? '', /PUBLIC_BASE_URL is http:\/\/calls\.example\.com, not https/);
    const https = startSummary(loadConfig({ ...cloud, PUBLIC_BASE_URL: 'https://calls.example.com' }), 'x');
    assert.deepEqual(https.warnings, []);
    assert.ok(https.lines.some((line) => line.includes('https://calls.example.com/webhook')));
  });

  it('warns when calls have no STUN or TURN server to cross networks with', () => {
    assert.match(
      startSummary(loadConfig({ ICE_SERVERS_JSON: '[]' }), 'x').warnings.join(),
      /No STUN or TURN servers/,
    );
  });

  it('says where the state lives, never with the password in the addresses', () => {
    const { lines } = startSummary(
      loadConfig({
        DATABASE_URL: 'postgres://bot:s3cret@db.internal:5432/calls',
        REDIS_URL: 'redis://:r3dis@cache.internal:6379',
      }),
      'x',
    );
    const line = lines.find((l) => l.startsWith('Datos / Data')) ?? '';
    assert.match(line, /PostgreSQL postgres:\/\/db\.internal:5432\/calls/);
    assert.match(line, /Redis redis:\/\/cache\.internal:6379/);
    assert.doesNotMatch(lines.join('\n'), /s3cret|r3dis|bot@|bot:s/);
    assert.ok(
      startSummary(loadConfig({}), 'x').lines.some((l) => /SQLite .* in memory, one instance/.test(l)),
    );
  });
});
