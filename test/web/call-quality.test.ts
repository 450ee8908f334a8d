import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { qualityBetween, sampleStats, type StatsSample } from '../../web/call-quality.js';

function report(entries: Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  return new Map(entries.map((entry, i) => [typeof entry.id === 'string' ? entry.id : String(i), entry]));
}

const sample = (over: Partial<StatsSample>): StatsSample => ({
  atMs: 0,
  bytesReceived: 0,
  packetsReceived: 0,
  packetsLost: 0,
  rttMs: 20,
  ...over,
});

describe('sampleStats', () => {
  it('adds up inbound audio and video, and reads the round trip of the selected pair (Chromium)', () => {
    const stats = report([
      { type: 'inbound-rtp', kind: 'audio', bytesReceived: 1_000, packetsReceived: 50, packetsLost: 1 },
      { type: 'inbound-rtp', kind: 'video', bytesReceived: 9_000, packetsReceived: 100, packetsLost: 2 },
      { type: 'transport', selectedCandidatePairId: 'p2' },
      { id: 'p1', type: 'candidate-pair', currentRoundTripTime: 0.9 },
      { id: 'p2', type: 'candidate-pair', currentRoundTripTime: 0.042 },
    ]);
    assert.deepEqual(sampleStats(stats, 5), {
      atMs: 5,
      bytesReceived: 10_000,
      packetsReceived: 150,
      packetsLost: 3,
      rttMs: 42,
    });
  });

  it('finds the pair Firefox marks as selected, and leaves the round trip unknown when none says', () => {
    const firefox = report([
      { id: 'a', type: 'candidate-pair', currentRoundTripTime: 0.5 },
      { id: 'b', type: 'candidate-pair', selected: true, currentRoundTripTime: 0.1 },
    ]);
    assert.equal(sampleStats(firefox, 0).rttMs, 100);
    assert.equal(sampleStats(report([]), 0).rttMs, undefined);
  });
});

describe('qualityBetween', () => {
  const start = sample({});
  it('is good on a clean link, with the bitrate over the interval', () => {
    const q = qualityBetween(start, sample({ atMs: 2_000, bytesReceived: 250_000, packetsReceived: 400 }));
    assert.deepEqual(q, { level: 'good', rttMs: 20, lossPercent: 0, kbps: 1_000 });
  });

  it('is fair from 250 ms round trip or 2 % loss, poor from 500 ms or 8 %', () => {
    const at = (over: Partial<StatsSample>) =>
      qualityBetween(start, sample({ atMs: 2_000, packetsReceived: 100, ...over })).level;
    assert.equal(at({ rttMs: 249 }), 'good');
    assert.equal(at({ rttMs: 250 }), 'fair');
    assert.equal(at({ rttMs: 500 }), 'poor');
    assert.equal(at({ packetsReceived: 98, packetsLost: 2 }), 'fair');
    assert.equal(at({ packetsReceived: 92, packetsLost: 8 }), 'poor');
  });

  it('is poor when nothing arrived in the whole interval', () => {
    assert.equal(qualityBetween(start, sample({ atMs: 2_000 })).level, 'poor');
  });

  it('counts loss only within the interval, not since the call began', () => {
    const before = sample({ packetsReceived: 1_000, packetsLost: 500 });
    const q = qualityBetween(before, sample({ atMs: 2_000, packetsReceived: 1_100, packetsLost: 500 }));
    assert.equal(q.lossPercent, 0);
    assert.equal(q.level, 'good');
  });
});
