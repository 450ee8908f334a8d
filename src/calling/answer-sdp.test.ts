import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerSdpProblems, forWhatsApp } from './answer-sdp.js';

// The shape of an answer WhatsApp takes: one audio section, Opus, one sha-256 fingerprint, active, candidates.
const GOOD = [
  'v=0',
  'o=- 57067614 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=candidate:626da4e5 1 udp 2116026367 203.0.113.7 40001 typ host generation 0',
  'a=end-of-candidates',
  'a=ice-ufrag:8ecb',
  'a=ice-pwd:2614c35cab6ba4d1819345',
  'a=ice-options:trickle',
  `a=fingerprint:sha-256 ${Array.from({ length: 32 }, () => 'E1').join(':')}`,
  'a=setup:active',
  'a=sendrecv',
  'a=mid:0',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  '',
].join('\r\n');

describe('SDP answers for WhatsApp', () => {
  it('accepts a complete answer, and drops the trickle option from it', () => {
    assert.deepEqual(answerSdpProblems(GOOD), []);
    assert.equal(forWhatsApp(GOOD).includes('ice-options:trickle'), false);
    assert.deepEqual(answerSdpProblems(forWhatsApp(GOOD)), []);
  });

  it('names each thing Meta would refuse', () => {
    const change = (from: string, to: string) => answerSdpProblems(GOOD.replace(from, to));
    const fingerprint = GOOD.split('\r\n').find((line) => line.startsWith('a=fingerprint')) as string;
    assert.deepEqual(change(fingerprint, `${fingerprint}\r\n${fingerprint.replace('sha-256', 'sha-1')}`), [
      'exactly one sha-256 fingerprint',
    ]);
    assert.deepEqual(change('a=setup:active', 'a=setup:actpass'), ['a=setup:active']);
    assert.deepEqual(change('opus/48000/2', 'PCMU/8000'), ['Opus 48000/2']);
    assert.deepEqual(
      change('a=candidate:626da4e5 1 udp 2116026367 203.0.113.7 40001 typ host generation 0\r\n', ''),
      ['at least one UDP candidate'],
    );
    assert.deepEqual(change('a=rtcp-mux\r\n', ''), ['a=rtcp-mux']);
    assert.deepEqual(change('a=sendrecv', 'a=recvonly'), ['a=sendrecv']);
  });
});
