import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { LocalMedia } from '../../web/local-media.js';

// LocalMedia against a scripted browser: getUserMedia answers per kind of request, devices are listed.

class FakeTrack {
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId: string,
    readonly constraints: unknown,
  ) {}
  stop(): void {
    this.readyState = 'ended';
  }
  getSettings(): { deviceId: string } {
    return { deviceId: this.deviceId };
  }
}

class FakeStream {
  readonly tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.tracks = [...tracks];
  }
  addTrack(track: FakeTrack): void {
    this.tracks.push(track);
  }
  removeTrack(track: FakeTrack): void {
    this.tracks.splice(this.tracks.indexOf(track), 1);
  }
  getTracks(): FakeTrack[] {
    return [...this.tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }
}

type Answer = 'grant' | 'NotAllowedError' | 'NotFoundError' | 'never';
const cameras = ['cam-front', 'cam-usb'];
let answers: { audio: Answer; video: Answer };
let requests: MediaStreamConstraints[];

/** The device a request asks for: an exact or ideal id, or else the first one. */
function deviceFor(kind: 'audio' | 'video', constraints: unknown): string {
  const id = (constraints as { deviceId?: { exact?: string; ideal?: string } }).deviceId;
  return id?.exact ?? id?.ideal ?? (kind === 'audio' ? 'mic-default' : cameras[0]!);
}

function getUserMedia(constraints: MediaStreamConstraints): Promise<FakeStream> {
  requests.push(constraints);
  const kinds = (['audio', 'video'] as const).filter((kind) => constraints[kind] !== undefined);
  for (const kind of kinds) {
    const answer = answers[kind];
    if (answer === 'never') return new Promise(() => undefined);
    if (answer !== 'grant') return Promise.reject(Object.assign(new Error(answer), { name: answer }));
  }
  return Promise.resolve(
    new FakeStream(
      kinds.map((kind) => new FakeTrack(kind, deviceFor(kind, constraints[kind]), constraints[kind])),
    ),
  );
}

function installBrowser(mediaDevices: object | undefined): void {
  Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices }, configurable: true });
  Object.defineProperty(globalThis, 'MediaStream', { value: FakeStream, configurable: true });
}

const enumerateDevices = () =>
  Promise.resolve([
    { kind: 'audioinput', deviceId: 'mic-default' },
    ...cameras.map((deviceId) => ({ kind: 'videoinput', deviceId })),
  ]);

async function open(): Promise<LocalMedia> {
  const media = await LocalMedia.open(() => assert.fail('not slow'));
  assert.notEqual(media, 'stuck');
  return media as LocalMedia;
}

const originalNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
beforeEach(() => {
  answers = { audio: 'grant', video: 'grant' };
  requests = [];
  installBrowser({ getUserMedia, enumerateDevices });
});
afterEach(() => {
  if (originalNavigator !== undefined) Object.defineProperty(globalThis, 'navigator', originalNavigator);
  mock.timers.reset();
});

describe('LocalMedia.open', () => {
  it('opens camera and microphone together, echo cancellation on, front camera first', async () => {
    const media = await open();
    assert.equal(media.outcome, 'full');
    assert.deepEqual(
      media.stream.getTracks().map((t) => t.kind),
      ['audio', 'video'],
    );
    const [first] = requests;
    assert.equal((first!.audio as MediaTrackConstraints).echoCancellation, true);
    assert.equal((first!.video as MediaTrackConstraints).facingMode, 'user');
    assert.equal(media.isOn('audio') && media.isOn('video'), true);
  });

  it('falls back to voice only without a camera, and to video only without a microphone', async () => {
    answers.video = 'NotFoundError';
    assert.equal((await open()).outcome, 'audio-only');
    answers = { audio: 'NotFoundError', video: 'grant' };
    assert.equal((await open()).outcome, 'video-only');
  });

  it('tells a refusal apart from having no devices', async () => {
    answers = { audio: 'NotAllowedError', video: 'NotAllowedError' };
    const denied = await open();
    assert.equal(denied.outcome, 'denied');
    assert.equal(denied.stream.getTracks().length, 0);
    answers = { audio: 'NotFoundError', video: 'NotFoundError' };
    assert.equal((await open()).outcome, 'none');
  });

  it('is stuck at once where there is no getUserMedia at all', async () => {
    installBrowser(undefined);
    assert.equal(await LocalMedia.open(() => assert.fail('not slow')), 'stuck');
  });

  it('calls onSlow after 8 s without an answer, and still takes the answer when it comes', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    let answer: (() => void) | undefined;
    installBrowser({
      getUserMedia: (constraints: MediaStreamConstraints) =>
        new Promise((resolve) => {
          answer = () => resolve(getUserMedia(constraints));
        }),
      enumerateDevices,
    });
    let slow = 0;
    const opening = LocalMedia.open(() => slow++);
    mock.timers.tick(7_999);
    assert.equal(slow, 0);
    mock.timers.tick(1);
    assert.equal(slow, 1);
    answer!();
    const media = await opening;
    assert.equal((media as LocalMedia).outcome, 'full');
  });
});

describe('LocalMedia devices', () => {
  it('switches camera by id, stopping the old one first and keeping it off if it was off', async () => {
    const media = await open();
    const old = media.track('video') as unknown as FakeTrack;
    media.setOn('video', false);
    const fresh = (await media.useDevice('video', 'cam-usb')) as unknown as FakeTrack;
    assert.equal(old.readyState, 'ended');
    assert.equal(fresh.deviceId, 'cam-usb');
    assert.equal(fresh.enabled, false);
    assert.equal(media.deviceId('video'), 'cam-usb');
    assert.deepEqual(
      media.stream.getVideoTracks().map((t) => t.getSettings().deviceId),
      ['cam-usb'],
    );
  });

  it('goes to the next camera on a computer, and flips front/back by facing mode on a phone', async () => {
    const media = await open();
    const next = (await media.nextCamera(false)) as unknown as FakeTrack;
    assert.equal(next.deviceId, 'cam-usb');
    const back = (await media.nextCamera(false)) as unknown as FakeTrack;
    assert.equal(back.deviceId, 'cam-front', 'wraps around');
    const flipped = (await media.nextCamera(true)) as unknown as FakeTrack;
    assert.deepEqual((flipped.constraints as MediaTrackConstraints).facingMode, { ideal: 'environment' });
    assert.equal(media.facing, 'environment');
  });

  it('brings back only the tracks that ended, from the same device', async () => {
    const media = await open();
    await media.useDevice('video', 'cam-usb');
    const audio = media.track('audio');
    media.track('video')!.stop();
    const fresh = (await media.reacquireEnded()) as unknown as FakeTrack[];
    assert.deepEqual(
      fresh.map((t) => [t.kind, t.deviceId]),
      [['video', 'cam-usb']],
    );
    assert.equal(media.track('audio'), audio);
    assert.equal(media.isOn('video'), true);
  });
});
