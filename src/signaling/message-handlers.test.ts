import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../errors.js';
import { parseClientMessage } from './message-handlers.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function codeOf(result: ReturnType<typeof parseClientMessage>): string | undefined {
  return result instanceof AppError ? result.code : undefined;
}

describe('parseClientMessage', () => {
  it('reads descriptions, candidates, end of candidates, pings and leaves', () => {
    const messages = [
      { type: 'description', description: { type: 'offer', sdp: 'v=0' } },
      {
        type: 'candidate',
        candidate: {
          candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host',
          sdpMid: '0',
          sdpMLineIndex: 0,
        },
      },
      { type: 'candidate', candidate: null },
      { type: 'ping' },
      { type: 'leave' },
    ];
    for (const message of messages) assert.deepEqual(parseClientMessage(json(message), false), message);
  });

  it('drops fields it does not know', () => {
    assert.deepEqual(parseClientMessage(json({ type: 'ping', extra: 1 }), false), { type: 'ping' });
  });

  it('answers a message over 64 KB with MESSAGE_TOO_LARGE', () => {
    const big = json({ type: 'description', description: { type: 'offer', sdp: 'x'.repeat(70_000) } });
    assert.equal(codeOf(parseClientMessage(big, false)), 'MESSAGE_TOO_LARGE');
  });

  it('answers malformed JSON, binary frames, unknown types and bad fields with MESSAGE_INVALID', () => {
    assert.equal(codeOf(parseClientMessage(Buffer.from('{"type":'), false)), 'MESSAGE_INVALID');
    assert.equal(codeOf(parseClientMessage(json({ type: 'ping' }), true)), 'MESSAGE_INVALID');
    assert.equal(codeOf(parseClientMessage(json({ type: 'dance' }), false)), 'MESSAGE_INVALID');
    assert.equal(codeOf(parseClientMessage(json(null), false)), 'MESSAGE_INVALID');
    assert.equal(
      codeOf(
        parseClientMessage(json({ type: 'description', description: { type: 'pranswer', sdp: '' } }), false),
      ),
      'MESSAGE_INVALID',
    );
  });
});
