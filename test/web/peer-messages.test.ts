import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CHAT_LENGTH, parsePeerMessage } from '../../web/peer-messages.js';

describe('parsePeerMessage', () => {
  it('reads the media state, with screen sharing and a paused page', () => {
    const state = { t: 'state', audio: false, video: true, screen: true, paused: true };
    assert.deepEqual(parsePeerMessage(JSON.stringify(state)), state);
  });

  it('reads a state from a page that sends neither screen nor paused as neither', () => {
    assert.deepEqual(parsePeerMessage('{"t":"state","audio":true,"video":true}'), {
      t: 'state',
      audio: true,
      video: true,
      screen: false,
      paused: false,
    });
  });

  it('reads chat up to the length limit and a hang-up, and drops anything else', () => {
    assert.deepEqual(parsePeerMessage('{"t":"chat","text":"hola"}'), { t: 'chat', text: 'hola' });
    assert.deepEqual(parsePeerMessage('{"t":"bye"}'), { t: 'bye' });
    for (const bad of [
      JSON.stringify({ t: 'chat', text: 'x'.repeat(MAX_CHAT_LENGTH + 1) }),
      '{"t":"chat","text":""}',
      '{"t":"state","audio":"yes","video":true}',
      '{"t":"other"}',
      'null',
      'not json',
      new ArrayBuffer(4),
    ]) {
      assert.equal(parsePeerMessage(bad), undefined, typeof bad === 'string' ? bad : 'binary');
    }
  });
});
