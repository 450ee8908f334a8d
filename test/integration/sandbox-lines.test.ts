import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually, startApp, testConfig } from '../helpers/test-app.js';

// The sandbox simulates every declared line: a person chooses the number they write to, and the bot answers
// from it, with that line's window.

const LINES = JSON.stringify([
  { id: 'main', phoneNumberId: '106540352242922', displayName: 'Tienda' },
  { id: 'norte', phoneNumberId: '111111111111111', displayName: 'Clínica Norte' },
]);

type Event = { person: string; direction: string; line?: string; text: string };

describe('the sandbox with two lines', () => {
  it('lists the lines, and answers each person from the one they wrote to', async (t) => {
    const app = await startApp(t, testConfig({ WABA_PHONE_NUMBER_ID: '', WHATSAPP_LINES_JSON: LINES }));
    const lines = (await app.inject({ url: '/sandbox/lines' })).json<{ lines: unknown[] }>().lines;
    assert.deepEqual(lines, [
      { id: 'main', name: 'Tienda' },
      { id: 'norte', name: 'Clínica Norte' },
    ]);
    const write = (from: string, text: string, line?: string) =>
      app.inject({ method: 'POST', url: '/sandbox/messages', payload: { from, text, line } });
    // Luis's window is open with norte only: Ana's call on main reaches him through her, not the bot.
    assert.equal((await write('+57 300 444 5566', 'hola', 'norte')).statusCode, 200);
    assert.equal((await write('+57 300 111 2233', 'videollamada +57 300 444 5566')).statusCode, 200);
    const events = await eventually(async () => {
      const list = (await app.inject({ url: '/sandbox/events?after=0' })).json<{ events: Event[] }>().events;
      return list.length >= 5 && list;
    });
    assert.deepEqual(
      events.map((e) => [e.direction, e.person, e.line]),
      [
        ['in', '573004445566', 'norte'],
        ['out', '573004445566', 'norte'],
        ['in', '573001112233', 'main'],
        ['out', '573001112233', 'main'],
        ['out', '573001112233', 'main'],
      ],
    );
    assert.match(events[4]!.text, /\/i\/[\w-]{22}\?k=/, 'the link to forward the invitation herself');
  });

  it('refuses a line it does not simulate, naming those it does', async (t) => {
    const app = await startApp(t, testConfig({ WABA_PHONE_NUMBER_ID: '', WHATSAPP_LINES_JSON: LINES }));
    const response = await app.inject({
      method: 'POST',
      url: '/sandbox/messages',
      payload: { from: '+57 300 111 2233', text: 'hola', line: 'sur' },
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.json<{ message: string }>().message, /main, norte/);
  });
});
