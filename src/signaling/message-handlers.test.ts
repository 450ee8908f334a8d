import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../errors.js';
import { readClientFrame } from './message-handlers.js';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const session = { sessionId: 'load-a', relayPrefix: '{"sessionId":"load-a",' };
const read = (data: Buffer, isBinary = false) => readClientFrame(data, isBinary, session);

function codeOf(result: ReturnType<typeof readClientFrame>): string | undefined {
  return result instanceof AppError ? result.code : undefined;
}

function relayed(value: unknown): unknown {
  const frame = read(json(value));
  assert.ok(!(frame instanceof AppError));
  return JSON.parse(frame.text);
}

const candidate = {
  candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host',
  sdpMid: '0',
  sdpMLineIndex: 0,
};

describe('readClientFrame', () => {
  it('reads descriptions, candidates, end of candidates, pings and leaves', () => {
    const messages = [
      { type: 'description', description: { type: 'offer', sdp: 'v=0' } },
      { type: 'candidate', candidate },
      { type: 'candidate', candidate: null },
      { type: 'ping' },
      { type: 'leave' },
    ];
    for (const message of messages) {
      const frame = read(json(message));
      assert.ok(!(frame instanceof AppError));
      assert.deepEqual(frame.message, message);
    }
  });

  it('drops fields it does not know', () => {
    const frame = read(json({ type: 'ping', extra: 1 }));
    assert.ok(!(frame instanceof AppError));
    assert.deepEqual(frame.message, { type: 'ping' });
  });

  it('relays a description or candidate as the page wrote it, with the sender’s session id', () => {
    const text = '{ "type":"candidate","candidate":{"candidate":"a","sdpMid":"0","sdpMLineIndex":0}}';
    const frame = read(Buffer.from(text));
    assert.ok(!(frame instanceof AppError));
    assert.equal(
      frame.text,
      '{"sessionId":"load-a", "type":"candidate","candidate":{"candidate":"a","sdpMid":"0","sdpMLineIndex":0}}',
    );
    assert.deepEqual(relayed({ type: 'candidate', candidate: null }), {
      sessionId: 'load-a',
      type: 'candidate',
      candidate: null,
    });
    assert.deepEqual(relayed({ type: 'description', description: { type: 'answer', sdp: 'v=0' } }), {
      sessionId: 'load-a',
      type: 'description',
      description: { type: 'answer', sdp: 'v=0' },
    });
  });

  it('relays only checked fields: unknown ones, or a session id of the sender’s choosing, are dropped', () => {
    assert.deepEqual(relayed({ type: 'candidate', candidate: { ...candidate, evil: 'x' } }), {
      sessionId: 'load-a',
      type: 'candidate',
      candidate,
    });
    assert.deepEqual(relayed({ sessionId: 'someone-else', type: 'candidate', candidate }), {
      sessionId: 'load-a',
      type: 'candidate',
      candidate,
    });
    assert.deepEqual(
      relayed({ type: 'description', description: { type: 'offer', sdp: 'v=0', extra: true } }),
      { sessionId: 'load-a', type: 'description', description: { type: 'offer', sdp: 'v=0' } },
    );
  });

  it('answers a message over 64 KB with MESSAGE_TOO_LARGE', () => {
    const big = json({ type: 'description', description: { type: 'offer', sdp: 'x'.repeat(70_000) } });
    assert.equal(codeOf(read(big)), 'MESSAGE_TOO_LARGE');
  });

  it('answers malformed JSON, binary frames, unknown types and bad fields with MESSAGE_INVALID', () => {
    assert.equal(codeOf(read(Buffer.from('{"type":'))), 'MESSAGE_INVALID');
    assert.equal(codeOf(read(json({ type: 'ping' }), true)), 'MESSAGE_INVALID');
    assert.equal(codeOf(read(json({ type: 'dance' }))), 'MESSAGE_INVALID');
    assert.equal(codeOf(read(json(null))), 'MESSAGE_INVALID');
    assert.equal(
      codeOf(read(json({ type: 'description', description: { type: 'pranswer', sdp: '' } }))),
      'MESSAGE_INVALID',
    );
  });
});
