import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { timeZoneFor } from './time-zones.js';

describe('a person’s time zone', () => {
  const saoPaulo = { zone: 'America/Sao_Paulo', forEveryone: false };

  it('is their country’s when it has one zone, whatever the line says', () => {
    assert.equal(timeZoneFor('573001112233', undefined), 'America/Bogota');
    assert.equal(timeZoneFor('573001112233', saoPaulo), 'America/Bogota');
    assert.equal(timeZoneFor('447911123456', undefined), 'Europe/London');
  });

  it('is the line’s in a country of several zones when it is one of them, else the country’s main one', () => {
    assert.equal(
      timeZoneFor('5592991234567', { zone: 'America/Manaus', forEveryone: false }),
      'America/Manaus',
    );
    assert.equal(timeZoneFor('5511912345678', undefined), 'America/Sao_Paulo');
    // A Colombian line's zone says nothing of a Mexican number's.
    assert.equal(
      timeZoneFor('5215512345678', { zone: 'America/Bogota', forEveryone: false }),
      'America/Mexico_City',
    );
    assert.equal(timeZoneFor('34612345678', undefined), 'Europe/Madrid');
  });

  it('is the line’s for everyone when the line says so, and for numbers that tell no country', () => {
    const everyone = { zone: 'America/Bogota', forEveryone: true };
    assert.equal(timeZoneFor('34612345678', everyone), 'America/Bogota');
    assert.equal(timeZoneFor('CO.1349120865', saoPaulo), 'America/Bogota');
    assert.equal(timeZoneFor(undefined, saoPaulo), 'America/Sao_Paulo');
    assert.equal(timeZoneFor(undefined, undefined), 'UTC');
  });
});
