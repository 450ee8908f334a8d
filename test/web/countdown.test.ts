import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callTimeWords, nextTickMs, timeLeft } from '../../web/countdown.js';

describe('the waiting screen of a booked call', () => {
  it('says how long is left, in hours and minutes, then down to the second', () => {
    assert.equal(timeLeft(2 * 3_600_000 + 5 * 60_000), '2 h 05 min');
    assert.equal(timeLeft(25 * 60_000), '25 min');
    assert.equal(timeLeft(4 * 60_000 + 30_000), '4 min 30 s');
    assert.equal(timeLeft(44_200), '45 s');
    assert.equal(timeLeft(-5), '0 s');
  });

  it('repaints each minute while far, each second near the end, never past the opening', () => {
    assert.equal(nextTickMs(60 * 60_000 + 20_000), 20_000);
    assert.equal(nextTickMs(10 * 60_000 + 20_000), 20_000);
    assert.equal(nextTickMs(5 * 60_000 + 250), 250);
    assert.equal(nextTickMs(5 * 60_000), 1000);
    assert.equal(nextTickMs(300), 300);
  });

  it('writes the call’s time in the person’s language and zone', () => {
    const at = Date.parse('2026-12-02T15:00:00Z');
    assert.equal(callTimeWords(at, 'es', 'America/Bogota'), 'miércoles, 2 de diciembre, 10:00');
    assert.equal(callTimeWords(at, 'pt', 'America/Sao_Paulo'), 'quarta-feira, 2 de dezembro às 12:00');
    assert.match(callTimeWords(at, 'en', 'Europe/London'), /^Wednesday, December 2 at 3:00\sPM$/);
  });
});
