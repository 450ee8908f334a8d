import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { mintTurnCredentials } from './turn-credentials.js';

describe('mintTurnCredentials', () => {
  const settings = { secret: 'north', urls: ['turn:turn.example.com:3478?transport=udp'], ttlSeconds: 3600 };

  it('follows the TURN REST scheme: username "<expiry>:<user>", password base64 HMAC-SHA1 of it', () => {
    const server = mintTurnCredentials(settings, 'room-seat', 1_700_000_000_000);
    assert.equal(server.username, '1700003600:room-seat');
    assert.equal(
      server.credential,
      createHmac('sha1', 'north').update('1700003600:room-seat').digest('base64'),
    );
    assert.deepEqual(server.urls, settings.urls);
  });

  it('matches a pair computed by hand', () => {
    // printf '%s' '1700003600:u' | openssl dgst -sha1 -hmac north -binary | base64
    assert.equal(
      mintTurnCredentials(settings, 'u', 1_700_000_000_000).credential,
      'OoeX6QfXzj1he1Ib8Wqw2llv48c=',
    );
  });
});
