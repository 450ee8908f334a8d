// Our camera and microphone, with no DOM: opening them (with fallbacks and a watchdog for browsers where
// getUserMedia never answers), turning them on and off, choosing a device, and getting a track back after the
// system took it away (a phone that sent the page to the background).

const AUDIO: MediaTrackConstraints = {
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};
const VIDEO: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 480 } };
/** In some in-app browsers getUserMedia exists but never settles: after this long, we say so. */
const WATCHDOG_MS = 8_000;

/** How opening the devices went: what the person can be told before joining. */
export type MediaOutcome = 'full' | 'audio-only' | 'video-only' | 'denied' | 'none';

export type Kind = 'audio' | 'video';

export class LocalMedia {
  /** Always the same stream object: the peer connection and the preview keep it while its tracks change. */
  readonly stream = new MediaStream();
  #facing: 'user' | 'environment' = 'user';
  readonly #deviceIds = new Map<Kind, string>();

  private constructor(readonly outcome: MediaOutcome) {}

  /**
   * Camera and microphone, or whichever of them works, or neither (to watch and listen). 'stuck' when the
   * browser has no getUserMedia: an app's built-in browser. `onSlow` is called when an answer takes longer
   * than the watchdog, as in built-in browsers where getUserMedia never settles; the answer is still awaited,
   * since it may only be a person taking their time over the permission prompt.
   */
  static async open(onSlow: () => void): Promise<LocalMedia | 'stuck'> {
    if (typeof navigator.mediaDevices?.getUserMedia !== 'function') return 'stuck';
    const watchdog = setTimeout(onSlow, WATCHDOG_MS);
    try {
      return await LocalMedia.#openWithFallbacks();
    } finally {
      clearTimeout(watchdog);
    }
  }

  static async #openWithFallbacks(): Promise<LocalMedia> {
    let denied = false;
    const attempts: [MediaStreamConstraints, MediaOutcome][] = [
      [{ audio: AUDIO, video: { ...VIDEO, facingMode: 'user' } }, 'full'],
      [{ audio: AUDIO }, 'audio-only'],
      [{ video: { ...VIDEO, facingMode: 'user' } }, 'video-only'],
    ];
    for (const [constraints, outcome] of attempts) {
      try {
        const result = await navigator.mediaDevices.getUserMedia(constraints);
        const media = new LocalMedia(outcome);
        for (const track of result.getTracks()) media.#adopt(track);
        return media;
      } catch (error) {
        console.warn('getUserMedia failed', constraints, error);
        denied ||= (error as { name?: unknown } | null)?.name === 'NotAllowedError';
      }
    }
    return new LocalMedia(denied ? 'denied' : 'none');
  }

  track(kind: Kind): MediaStreamTrack | undefined {
    return kind === 'audio' ? this.stream.getAudioTracks()[0] : this.stream.getVideoTracks()[0];
  }

  /** Whether the other person gets this kind of media from us now. */
  isOn(kind: Kind): boolean {
    const track = this.track(kind);
    return track !== undefined && track.enabled && track.readyState === 'live';
  }

  setOn(kind: Kind, on: boolean): void {
    const track = this.track(kind);
    if (track !== undefined) track.enabled = on;
  }

  get facing(): 'user' | 'environment' {
    return this.#facing;
  }

  async devices(kind: Kind): Promise<MediaDeviceInfo[]> {
    const wanted = kind === 'audio' ? 'audioinput' : 'videoinput';
    return (await navigator.mediaDevices.enumerateDevices()).filter(
      (d) => d.kind === wanted && d.deviceId !== '',
    );
  }

  /** The device a track of this kind comes from now. */
  deviceId(kind: Kind): string | undefined {
    return this.#deviceIds.get(kind);
  }

  /** Another microphone or camera, by id. Returns the new track for the peer connection's sender. */
  useDevice(kind: Kind, deviceId: string): Promise<MediaStreamTrack | undefined> {
    return this.#replace(kind, { deviceId: { exact: deviceId } });
  }

  /**
   * The other camera: front ↔ back on phones (which may list several lenses per side, so the side is asked
   * for, not a device), the next one in the list elsewhere.
   */
  async nextCamera(isPhone: boolean): Promise<MediaStreamTrack | undefined> {
    if (isPhone) {
      this.#facing = this.#facing === 'user' ? 'environment' : 'user';
      return this.#replace('video', { facingMode: { ideal: this.#facing } });
    }
    const ids = (await this.devices('video')).map((device) => device.deviceId);
    const next = ids[(ids.indexOf(this.deviceId('video') ?? '') + 1) % ids.length];
    return next === undefined ? undefined : this.useDevice('video', next);
  }

  /**
   * Tracks the system ended while the page was hidden (phones hand the camera to other apps) come back from
   * the same device. Returns the new tracks.
   */
  async reacquireEnded(): Promise<MediaStreamTrack[]> {
    const fresh: MediaStreamTrack[] = [];
    for (const kind of ['audio', 'video'] as const) {
      if (this.track(kind)?.readyState !== 'ended') continue;
      const id = this.#deviceIds.get(kind);
      const track = await this.#replace(kind, id === undefined ? {} : { deviceId: { ideal: id } });
      if (track !== undefined) fresh.push(track);
    }
    return fresh;
  }

  stop(): void {
    for (const track of this.stream.getTracks()) track.stop();
  }

  /**
   * The old track is stopped before the new one is asked for: iOS gives a black frame otherwise, and many
   * phones cannot open two cameras at once. The new track keeps the old one's on/off state.
   */
  async #replace(kind: Kind, constraints: MediaTrackConstraints): Promise<MediaStreamTrack | undefined> {
    const old = this.track(kind);
    const wasOn = old === undefined || old.enabled;
    old?.stop();
    const base = kind === 'audio' ? AUDIO : VIDEO;
    const fresh = await navigator.mediaDevices.getUserMedia({ [kind]: { ...base, ...constraints } });
    const track = kind === 'audio' ? fresh.getAudioTracks()[0] : fresh.getVideoTracks()[0];
    if (track === undefined) return undefined;
    track.enabled = wasOn;
    if (old !== undefined) this.stream.removeTrack(old);
    this.#adopt(track);
    return track;
  }

  #adopt(track: MediaStreamTrack): void {
    this.stream.addTrack(track);
    const id = track.getSettings().deviceId;
    if (id !== undefined) this.#deviceIds.set(track.kind as Kind, id);
  }
}
