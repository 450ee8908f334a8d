import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryEvent } from './call-history.js';
import { HistoryRecorder } from './history-recorder.js';

const change = (n: number): HistoryEvent => ({
  id: `room-${n}:0:joined:c${n}`,
  roomId: `room-${n}`,
  atMs: n,
  change: { kind: 'joined', participant: 'host', browser: 'Chrome', platform: 'Android' },
});

/** A store whose writes the test finishes or fails one by one. */
function heldStore() {
  const pending: { event: HistoryEvent; finish: () => void; fail: (error: Error) => void }[] = [];
  const written: string[] = [];
  return {
    pending,
    written,
    record: (event: HistoryEvent) =>
      new Promise<boolean>((resolve, reject) =>
        pending.push({
          event,
          finish: () => {
            written.push(event.id);
            resolve(true);
          },
          fail: reject,
        }),
      ),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function logged() {
  const lines: string[] = [];
  return { lines, error: (_details: object, message: string) => lines.push(message) };
}

describe('HistoryRecorder', () => {
  it('writes a burst a few at a time, in order, and drains', async () => {
    const store = heldStore();
    const recorder = new HistoryRecorder(store, {
      concurrency: 3,
      tries: 3,
      maxWaiting: 10_000,
      log: logged(),
    });
    for (let n = 0; n < 2_000; n++) recorder.record(change(n));
    let drained = false;
    void recorder.drain().then(() => (drained = true));
    let most = 0;
    while (store.pending.length > 0) {
      most = Math.max(most, store.pending.length);
      store.pending.shift()?.finish();
      await tick();
    }
    await tick();
    assert.equal(most, 3);
    assert.equal(store.written.length, 2_000);
    assert.deepEqual(store.written.slice(0, 3), [change(0).id, change(1).id, change(2).id]);
    assert.equal(drained, true);
  });

  it('tries a change the database refused again, and gives it up after the last try', async () => {
    const store = heldStore();
    const log = logged();
    const waits: number[] = [];
    const recorder = new HistoryRecorder(store, {
      concurrency: 1,
      tries: 3,
      maxWaiting: 10,
      log,
      backoff: (retry) => {
        waits.push(retry);
        return Promise.resolve();
      },
    });
    recorder.record(change(1));
    recorder.record(change(2));
    await tick();
    store.pending.shift()?.fail(new Error('timeout exceeded when trying to connect'));
    await tick();
    store.pending.shift()?.finish();
    await tick();
    // The next change waited for the retried one; now it fails every time.
    for (let i = 0; i < 3; i++) {
      store.pending.shift()?.fail(new Error('database restarting'));
      await tick();
    }
    await recorder.drain();
    assert.deepEqual(store.written, [change(1).id]);
    assert.deepEqual(waits, [1, 1, 2]);
    assert.deepEqual(log.lines, ['history: a change given up']);
  });

  it('gives up what comes past the most it keeps waiting, and says so', async () => {
    const store = heldStore();
    const log = logged();
    const recorder = new HistoryRecorder(store, { concurrency: 1, tries: 1, maxWaiting: 2, log });
    for (let n = 0; n < 4; n++) recorder.record(change(n));
    assert.deepEqual(log.lines, ['history: too many changes waiting, one given up']);
    while (store.pending.length > 0) {
      store.pending.shift()?.finish();
      await tick();
    }
    await recorder.drain();
    assert.deepEqual(store.written, [change(0).id, change(1).id, change(2).id]);
  });
});
