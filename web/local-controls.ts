import type { CallSession } from './call-session.js';
import { isPhone, texts, ui } from './call-ui.js';
import type { Kind, LocalMedia } from './local-media.js';

/**
 * Our side's media on the page: the preview, the microphone and camera toggles, the device lists, the camera
 * switch and screen sharing, and what the other person is told about them.
 */
export class LocalControls {
  media: LocalMedia | undefined;
  /** The shared screen's track while sharing: it is what the video sender sends instead of the camera. */
  #screenTrack: MediaStreamTrack | undefined;

  constructor(private readonly session: () => CallSession | undefined) {}

  get sharing(): boolean {
    return this.#screenTrack !== undefined;
  }

  /** Our microphone and camera as the other person should see them. */
  sendMediaState(): void {
    const sharing = this.sharing;
    this.session()?.sendPeer({
      t: 'state',
      audio: this.media?.isOn('audio') ?? false,
      video: sharing || (this.media?.isOn('video') ?? false),
      screen: sharing,
      paused: document.visibilityState === 'hidden',
    });
  }

  /** Microphone or camera on or off, from the pre-join screen or the call: every button of that kind agrees. */
  setMediaOn(kind: Kind, on: boolean): void {
    this.media?.setOn(kind, on);
    for (const button of ui.toggles) {
      if (button.dataset.toggle === kind) button.setAttribute('aria-pressed', String(!on));
    }
    if (kind === 'video') ui.localVideo.classList.toggle('off', !on);
    this.sendMediaState();
  }

  /** Shows our own camera (mirrored, as people expect of a front camera) or the screen we share (as is). */
  showLocalPreview(): void {
    const screen = this.#screenTrack;
    const source = screen === undefined ? this.media?.stream : new MediaStream([screen]);
    if (source === undefined || source.getVideoTracks().length === 0) {
      delete ui.localVideo.dataset.live;
      return;
    }
    if (ui.localVideo.srcObject !== source) ui.localVideo.srcObject = source;
    ui.localVideo.dataset.live = '';
    ui.localVideo.classList.toggle('rear', this.media?.facing === 'environment' || screen !== undefined);
  }

  /** A new track from our devices goes on the sender in place of the old one (unless a screen is shown). */
  async sendTrack(track: MediaStreamTrack | undefined): Promise<void> {
    if (track === undefined) return;
    this.showLocalPreview();
    if (track.kind === 'video' && this.sharing) return;
    await this.session()?.replaceTrack(track.kind as Kind, track);
    this.sendMediaState();
  }

  /** Lists microphones and cameras to choose from where there is more than one. */
  async showDeviceChoice(): Promise<void> {
    const current = this.media;
    if (current === undefined) return;
    for (const [kind, choice, select] of [
      ['audio', ui.micChoice, ui.micSelect],
      ['video', ui.cameraChoice, ui.cameraSelect],
    ] as const) {
      const devices = await current.devices(kind);
      select.replaceChildren(
        ...devices.map((device, i) => {
          const label =
            device.label !== ''
              ? device.label
              : `${texts[kind === 'audio' ? 'microphone' : 'camera']} ${i + 1}`;
          return new Option(label, device.deviceId, false, device.deviceId === current.deviceId(kind));
        }),
      );
      choice.hidden = devices.length < 2 || current.track(kind) === undefined;
    }
    const cameras = (await current.devices('video')).length;
    // Phones list their cameras late, or as one: offer the switch there whenever there is a camera.
    ui.switchCamera.hidden = current.track('video') === undefined || !(cameras > 1 || isPhone);
  }

  /** The pre-join screen once the devices answered: preview, toggles, device choice, or what went wrong. */
  showPreview(opened: LocalMedia): void {
    this.media = opened;
    this.showLocalPreview();
    for (const button of ui.toggles) {
      button.disabled = opened.track(button.dataset.toggle as Kind) === undefined;
      button.setAttribute('aria-pressed', String(button.disabled));
    }
    void this.showDeviceChoice().catch((error: unknown) => console.warn('devices', error));
    const problems: Partial<Record<LocalMedia['outcome'], string>> = {
      'audio-only': texts.audioOnly,
      'video-only': texts.videoOnly,
      none: texts.noMedia,
      // Browsers do not ask twice: say how to allow it on this browser, and offer the reload that makes it count.
      denied: /iPhone|iPad/i.test(navigator.userAgent) ? texts.deniedIos : texts.denied,
    };
    const problem = problems[opened.outcome];
    ui.mediaProblem.hidden = problem === undefined;
    ui.mediaProblem.textContent = problem ?? '';
    ui.reload.hidden = opened.outcome !== 'denied';
    ui.call.dataset.media = opened.outcome;
    if (opened.outcome === 'denied' || opened.outcome === 'none') ui.join.textContent = texts.watchOnly;
  }

  async shareScreen(): Promise<void> {
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: { frameRate: { max: 15 } },
      audio: false,
    });
    const track = stream.getVideoTracks()[0];
    if (track === undefined) return;
    // Text and slides: keep them sharp rather than smooth.
    track.contentHint = 'detail';
    track.addEventListener('ended', () => this.stopSharing());
    this.#screenTrack = track;
    ui.share.setAttribute('aria-pressed', 'true');
    ui.switchCamera.disabled = true;
    await this.session()?.replaceTrack('video', track);
    this.showLocalPreview();
    this.sendMediaState();
  }

  stopSharing(): void {
    const track = this.#screenTrack;
    if (track === undefined) return;
    this.#screenTrack = undefined;
    track.stop();
    ui.share.setAttribute('aria-pressed', 'false');
    ui.switchCamera.disabled = false;
    const camera = this.media?.track('video');
    if (camera !== undefined) void this.session()?.replaceTrack('video', camera);
    this.showLocalPreview();
    this.sendMediaState();
  }
}
