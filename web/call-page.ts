import type { ErrorCode } from '../src/errors.js';
import type { ServerMessage } from '../src/protocol/signaling-messages.js';
import { CallTimer, QualityIndicator } from './call-indicators.js';
import { pageTexts, type TextKey } from './i18n.js';
import { isInAppBrowser, openInBrowserLinks } from './in-app-browser.js';
import { LocalMedia, type Kind } from './local-media.js';
import { PeerLink } from './peer-link.js';
import type { PeerMessage } from './peer-messages.js';
import { makeMovable } from './self-view.js';
import { SignalingClient } from './signaling-client.js';

// The call page: its screens, controls and their wiring. Signaling, negotiation, devices and quality figures
// live in DOM-free modules; the movable self-view and the top indicators in small modules of their own.

const { language, texts } = pageTexts(
  navigator.languages.length > 0 ? navigator.languages : [navigator.language],
);
document.documentElement.lang = language;
for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) {
  element.textContent = texts[element.dataset.text as TextKey];
}
// Icon buttons and the videos: a name for screen readers, and a tooltip for the mouse.
for (const element of document.querySelectorAll<HTMLElement>('[data-label]')) {
  element.setAttribute('aria-label', texts[element.dataset.label as TextKey]);
  if (element instanceof HTMLButtonElement) element.title = texts[element.dataset.label as TextKey];
}

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
const ui = {
  call: byId<HTMLElement>('call'),
  remoteVideo: byId<HTMLVideoElement>('remote-video'),
  localVideo: byId<HTMLVideoElement>('local-video'),
  status: byId<HTMLElement>('status'),
  reconnecting: byId<HTMLElement>('reconnecting'),
  prejoin: byId<HTMLElement>('prejoin'),
  peerState: byId<HTMLElement>('peer-state'),
  mediaProblem: byId<HTMLElement>('media-problem'),
  reload: byId<HTMLButtonElement>('reload'),
  micChoice: byId<HTMLElement>('mic-choice'),
  micSelect: byId<HTMLSelectElement>('mic-select'),
  cameraChoice: byId<HTMLElement>('camera-choice'),
  cameraSelect: byId<HTMLSelectElement>('camera-select'),
  join: byId<HTMLButtonElement>('join'),
  notice: byId<HTMLElement>('notice'),
  noticeText: byId<HTMLElement>('notice-text'),
  rejoin: byId<HTMLButtonElement>('rejoin'),
  controls: byId<HTMLElement>('controls'),
  hangup: byId<HTMLButtonElement>('hangup'),
  switchCamera: byId<HTMLButtonElement>('switch-camera'),
  share: byId<HTMLButtonElement>('share'),
  chatToggle: byId<HTMLButtonElement>('chat-toggle'),
  chat: byId<HTMLElement>('chat'),
  chatLog: byId<HTMLOListElement>('chat-log'),
  chatForm: byId<HTMLFormElement>('chat-form'),
  chatInput: byId<HTMLInputElement>('chat-input'),
  remoteOff: byId<HTMLElement>('remote-off'),
  remoteOffText: byId<HTMLElement>('remote-off-text'),
  remoteMuted: byId<HTMLElement>('remote-muted'),
  quality: byId<HTMLElement>('quality'),
  timer: byId<HTMLElement>('timer'),
  inApp: byId<HTMLElement>('inapp'),
  openChrome: byId<HTMLAnchorElement>('open-chrome'),
  copyLink: byId<HTMLButtonElement>('copy-link'),
  copied: byId<HTMLElement>('copied'),
  toggles: document.querySelectorAll<HTMLButtonElement>('[data-toggle]'),
};

const roomId = location.pathname.split('/').pop() ?? '';
// Links carry the seat key in the fragment; template buttons can only add a query (?k=), which is moved into
// the fragment at once so that it stays out of the address bar, history and any later request.
const query = new URLSearchParams(location.search);
const keyInQuery = query.get('k');
if (keyInQuery !== null) {
  query.delete('k');
  const rest = query.toString() === '' ? '' : `?${query.toString()}`;
  history.replaceState(null, '', `${location.pathname}${rest}#k=${keyInQuery}`);
}
// ?ice=relay sends the call through TURN only: a way to check that a TURN server works.
const iceTransportPolicy: RTCIceTransportPolicy = query.get('ice') === 'relay' ? 'relay' : 'all';
const seatKey = new URLSearchParams(location.hash.slice(1)).get('k') ?? '';
const isPhone = /Android|iPhone|iPad/i.test(navigator.userAgent);

const CLOSE_CODE_ERRORS: Record<number, ErrorCode> = {
  4001: 'SEAT_REPLACED',
  4403: 'SEAT_KEY_INVALID',
  4404: 'ROOM_NOT_FOUND',
  4409: 'SEAT_TAKEN',
  4410: 'ROOM_EXPIRED',
};
/** How often the pre-join screen asks whether the other person is in the room. */
const PEER_STATE_POLL_MS = 3_000;

let signaling: SignalingClient | undefined;
let link: PeerLink | undefined;
let media: LocalMedia | undefined;
let mediaOpening: Promise<LocalMedia | 'stuck'> | undefined;
/** The shared screen's track while sharing: it is what the video sender sends instead of the camera. */
let screenTrack: MediaStreamTrack | undefined;
let polite = false;
let iceServers: Extract<ServerMessage, { type: 'joined' }>['iceServers'] = [];
let lastError: ErrorCode | undefined;
let joinTappedAt = 0;
let firstLink = true;
let signalingDown = false;
const reported = new WeakSet<PeerLink>();

/** Tells the server, once per connection, how long it took and whether it goes through TURN (metrics). */
function reportConnected(startedAt: number): void {
  const current = link;
  if (current === undefined || reported.has(current)) return;
  reported.add(current);
  void current
    .path()
    .then((path) => signaling?.send({ type: 'connected', setupMs: Date.now() - startedAt, path }));
}

function setStatus(key: TextKey | undefined): void {
  ui.status.textContent = key === undefined ? '' : texts[key];
  ui.call.dataset.status = key ?? '';
}

/**
 * The "reconnecting" banner: shown while the media connection is down, or while the server is away and no
 * media connection carries the call. A call that flows peer to peer does not need the server to go on.
 */
function showReconnecting(): void {
  const state = link?.pc.connectionState;
  const down = state === 'disconnected' || state === 'failed' || (signalingDown && state !== 'connected');
  ui.reconnecting.hidden = !down || ui.call.dataset.screen !== 'call';
  ui.call.dataset.reconnecting = String(!ui.reconnecting.hidden);
}

function setSignalingDown(down: boolean): void {
  signalingDown = down;
  ui.call.dataset.signaling = down ? 'down' : 'up';
  showReconnecting();
}

function showNotice(text: string, canRejoin: boolean): void {
  ui.prejoin.hidden = true;
  ui.notice.hidden = false;
  ui.noticeText.textContent = text;
  ui.rejoin.hidden = !canRejoin;
}

function showError(code: ErrorCode): void {
  ui.call.dataset.screen = 'error';
  ui.call.dataset.error = code;
  ui.controls.hidden = true;
  setStatus(undefined);
  showReconnecting();
  showNotice(texts.errors[code], false);
}

type RoomCheck = { ok: true; peerPresent: boolean } | { ok: false; code: ErrorCode };

/** Asks the server where this link stands: the only way to learn why a WebSocket upgrade was refused. */
async function checkRoom(): Promise<RoomCheck> {
  const response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}?client=${clientId}`, {
    headers: { authorization: `Bearer ${seatKey}` },
    cache: 'no-store',
  });
  const body = (await response.json()) as { peerPresent?: boolean; code?: string };
  if (response.ok) return { ok: true, peerPresent: body.peerPresent === true };
  return {
    ok: false,
    code: body.code !== undefined && body.code in texts.errors ? (body.code as ErrorCode) : 'INTERNAL',
  };
}

/** The screen that sends people from an app's built-in browser to a real one, with the link ready to paste. */
function showInAppScreen(): void {
  ui.call.dataset.screen = 'in-app';
  ui.prejoin.hidden = true;
  ui.controls.hidden = true;
  ui.notice.hidden = true;
  ui.inApp.hidden = false;
  setStatus(undefined);
  const links = openInBrowserLinks(location, seatKey, navigator.userAgent);
  if (links.androidIntent !== undefined) {
    ui.openChrome.href = links.androidIntent;
    ui.openChrome.hidden = false;
  }
  ui.copyLink.onclick = () => {
    const shown = () => {
      ui.copied.hidden = false;
    };
    // Where the clipboard is refused, the link is shown to be copied by hand.
    navigator.clipboard.writeText(links.copy).then(shown, () => {
      ui.copied.textContent = links.copy;
      shown();
    });
  };
}

function playRemote(): void {
  ui.remoteVideo.play().catch(() => {
    setStatus('tapToPlay');
    document.addEventListener('click', () => void ui.remoteVideo.play().then(() => setStatus('connected')), {
      once: true,
    });
  });
}

/** What the other page told us about its media: an avatar instead of a frozen frame, a muted badge. */
function showRemoteState(message: Extract<PeerMessage, { t: 'state' }>): void {
  ui.remoteMuted.hidden = message.audio || message.paused;
  ui.remoteOff.hidden = message.video && !message.paused;
  ui.remoteOffText.textContent = message.paused ? texts.pausedRemote : texts.cameraOffRemote;
  ui.remoteOff.dataset.reason = message.paused ? 'paused' : 'camera-off';
  ui.remoteVideo.classList.toggle('screen', message.screen);
}

/** One peer connection per page load of the other person; a new load of theirs means a new connection. */
function linkTo(peerSessionId: string): void {
  if (link?.peerSessionId === peerSessionId) return;
  link?.close();
  // A new connection starts from the camera: the other page has just loaded and shows our video afresh.
  if (screenTrack !== undefined) stopSharing();
  setStatus('connecting');
  // The first call is timed from the Join tap; a new connection (the other person reloaded) from its start.
  const created = firstLink ? joinTappedAt : Date.now();
  firstLink = false;
  link = new PeerLink({
    peerSessionId,
    polite,
    iceServers,
    iceTransportPolicy,
    onNoRoute: () => setStatus('noRoute'),
    onChannelOpen: sendMediaState,
    onPeerMessage: (message) => {
      if (message.t === 'state') showRemoteState(message);
      else if (message.t === 'chat') addChatLine(message.text, false);
      else peerHungUp();
    },
    onIceFailed: () => {
      showReconnecting();
      signaling?.send({ type: 'refresh-ice' });
    },
    localStream: media?.stream,
    send: (message) => signaling?.send(message),
    onRemoteStream: (stream) => {
      if (ui.remoteVideo.srcObject !== stream) {
        ui.remoteVideo.srcObject = stream;
        playRemote();
      }
    },
    onStateChange: (state) => {
      showReconnecting();
      if (state === 'connected') {
        setStatus('connected');
        reportConnected(created);
        timer.start();
        quality.start();
        void link?.capVideoBitrate().catch((error: unknown) => console.warn('bitrate cap', error));
      }
    },
  });
}

/** Our microphone and camera as the other person should see them. */
function sendMediaState(): void {
  link?.sendPeer({
    t: 'state',
    audio: media?.isOn('audio') ?? false,
    video: screenTrack !== undefined || (media?.isOn('video') ?? false),
    screen: screenTrack !== undefined,
    paused: document.visibilityState === 'hidden',
  });
}

/** Microphone or camera on or off, from the pre-join screen or the call: every button of that kind agrees. */
function setMediaOn(kind: Kind, on: boolean): void {
  media?.setOn(kind, on);
  for (const button of ui.toggles) {
    if (button.dataset.toggle === kind) button.setAttribute('aria-pressed', String(!on));
  }
  if (kind === 'video') ui.localVideo.classList.toggle('off', !on);
  sendMediaState();
}

function addChatLine(text: string, mine: boolean): void {
  const line = document.createElement('li');
  line.textContent = text;
  if (mine) line.className = 'mine';
  ui.chatLog.append(line);
  ui.chatLog.scrollTop = ui.chatLog.scrollHeight;
  if (!mine) ui.chat.hidden = false;
}

/** Shows our own camera (mirrored, as people expect of a front camera) or the screen we share (as is). */
function showLocalPreview(): void {
  const source = screenTrack === undefined ? media?.stream : new MediaStream([screenTrack]);
  if (source === undefined || source.getVideoTracks().length === 0) {
    delete ui.localVideo.dataset.live;
    return;
  }
  if (ui.localVideo.srcObject !== source) ui.localVideo.srcObject = source;
  ui.localVideo.dataset.live = '';
  ui.localVideo.classList.toggle('rear', media?.facing === 'environment' || screenTrack !== undefined);
}

/** A new track from our devices goes on the sender in place of the old one (unless a screen is being shown). */
async function sendTrack(track: MediaStreamTrack | undefined): Promise<void> {
  if (track === undefined) return;
  showLocalPreview();
  if (track.kind === 'video' && screenTrack !== undefined) return;
  await link?.replaceTrack(track.kind as Kind, track);
  sendMediaState();
}

/** Lists microphones and cameras to choose from where there is more than one. */
async function showDeviceChoice(current: LocalMedia): Promise<void> {
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
function showPreview(opened: LocalMedia): void {
  media = opened;
  showLocalPreview();
  for (const button of ui.toggles) {
    button.disabled = opened.track(button.dataset.toggle as Kind) === undefined;
    button.setAttribute('aria-pressed', String(button.disabled));
  }
  void showDeviceChoice(opened).catch((error: unknown) => console.warn('devices', error));
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

async function shareScreen(): Promise<void> {
  const stream = await navigator.mediaDevices.getDisplayMedia({
    video: { frameRate: { max: 15 } },
    audio: false,
  });
  const track = stream.getVideoTracks()[0];
  if (track === undefined) return;
  // Text and slides: keep them sharp rather than smooth.
  track.contentHint = 'detail';
  track.addEventListener('ended', stopSharing);
  screenTrack = track;
  ui.share.setAttribute('aria-pressed', 'true');
  ui.switchCamera.disabled = true;
  await link?.replaceTrack('video', track);
  showLocalPreview();
  sendMediaState();
}

function stopSharing(): void {
  const track = screenTrack;
  if (track === undefined) return;
  screenTrack = undefined;
  track.stop();
  ui.share.setAttribute('aria-pressed', 'false');
  ui.switchCamera.disabled = false;
  const camera = media?.track('video');
  if (camera !== undefined) void link?.replaceTrack('video', camera);
  showLocalPreview();
  sendMediaState();
}

const timer = new CallTimer(ui.timer);
const quality = new QualityIndicator(ui.quality, texts, language, () => link?.pc);

/** Back on the signaling server (after a reconnect): a call that kept flowing says so again. */
function showCallState(): void {
  if (link?.pc.connectionState === 'connected') setStatus('connected');
  showReconnecting();
}

function dropLink(): void {
  link?.close();
  link = undefined;
  ui.remoteVideo.srcObject = null;
  quality.hide();
  showReconnecting();
}

function onMessage(message: ServerMessage): void {
  switch (message.type) {
    case 'joined':
      polite = message.polite;
      iceServers = message.iceServers;
      if (message.peerSessionId !== null) linkTo(message.peerSessionId);
      else if (link === undefined) setStatus('waiting');
      showCallState();
      break;
    case 'peer-joined':
      linkTo(message.sessionId);
      showCallState();
      break;
    case 'peer-left':
      if (message.reason === 'hangup') peerHungUp();
      else if (link?.pc.connectionState !== 'connected') {
        setStatus('peerLost');
      }
      break;
    case 'description':
      if (link?.peerSessionId === message.sessionId) {
        link.handleDescription(message.description).catch((error: unknown) => console.warn(error));
      }
      break;
    case 'candidate':
      if (link?.peerSessionId === message.sessionId) {
        link.handleCandidate(message.candidate).catch((error: unknown) => console.warn(error));
      }
      break;
    case 'error':
      console.warn('signaling error', message.code, message.message);
      break;
    case 'ice-servers':
      iceServers = message.iceServers;
      link?.restart(message.iceServers);
      break;
    case 'pong':
      break;
  }
}

/** 128 random bits in hex. (crypto.randomUUID exists only on https pages; this page must say so first.) */
function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}
// A tab keeps its client id across reloads, so a reload takes its own seat back at once.
const clientId = sessionStorage.getItem('wwb.client') ?? randomId();
sessionStorage.setItem('wwb.client', clientId);
const sessionId = randomId();
let peerStateHandle: ReturnType<typeof setInterval> | undefined;

async function join(): Promise<void> {
  joinTappedAt = Date.now();
  ui.join.disabled = true;
  clearInterval(peerStateHandle);
  // The tap may come before the camera answered (the permission prompt is still open): wait for it here.
  const opened = await mediaOpening;
  if (opened === undefined || opened === 'stuck') return;
  ui.call.dataset.screen = 'call';
  keepScreenOn();
  ui.prejoin.hidden = true;
  ui.controls.hidden = false;
  ui.share.hidden = isPhone || typeof navigator.mediaDevices.getDisplayMedia !== 'function';
  setStatus('connecting');

  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  signaling = new SignalingClient({
    url: `${scheme}://${location.host}/ws/${encodeURIComponent(roomId)}?client=${clientId}&session=${sessionId}`,
    seatKey,
    canRetry: async () => {
      const check = await checkRoom();
      if (!check.ok) lastError = check.code;
      return check.ok;
    },
    events: {
      message: (message) => {
        setSignalingDown(false);
        onMessage(message);
      },
      reconnecting: () => setSignalingDown(true),
      closed: (code) => {
        dropLink();
        showError(CLOSE_CODE_ERRORS[code] ?? lastError ?? 'INTERNAL');
      },
    },
  });
  signaling.connect();
}

/** The other person hung up: told by the server, or straight over the data channel if the server is away. */
function peerHungUp(): void {
  dropLink();
  setStatus('peerLeft');
}

let wakeLock: WakeLockSentinel | undefined;
/** Keeps a phone's screen on during the call: a locked screen sends the page to the background, camera off. */
function keepScreenOn(): void {
  if (ui.call.dataset.screen !== 'call' || !('wakeLock' in navigator)) return;
  if (wakeLock !== undefined && !wakeLock.released) return;
  // Some browsers refuse (battery saver): the call works without it.
  navigator.wakeLock.request('screen').then(
    (sentinel) => {
      wakeLock = sentinel;
    },
    () => undefined,
  );
}

/**
 * A new network (Wi-Fi ↔ mobile data): restart ICE now, with fresh servers, rather than wait for the old path
 * to time out. Restarting a healthy connection costs nothing: the current path stays until a new one is chosen.
 */
function onNetworkChange(): void {
  if (link !== undefined) signaling?.send({ type: 'refresh-ice' });
}

function hangUp(): void {
  // Said over the data channel too: the other side learns at once even while the server is restarting.
  link?.sendPeer({ t: 'bye' });
  void wakeLock?.release();
  timer.stop();
  quality.stop();
  signaling?.leave();
  stopSharing();
  dropLink();
  media?.stop();
  delete ui.localVideo.dataset.live;
  ui.controls.hidden = true;
  ui.call.dataset.screen = 'ended';
  setStatus(undefined);
  showReconnecting();
  showNotice(texts.ended, true);
}

/**
 * Phones take the camera away from a page in the background and freeze its video: the other side is told the
 * video is paused (not a frozen face), and on return ended tracks come back from the same devices.
 */
async function onVisibilityChange(): Promise<void> {
  sendMediaState();
  // After hanging up the tracks are ended on purpose: they stay that way.
  const inUse = ui.call.dataset.screen === 'call' || ui.call.dataset.screen === 'prejoin';
  if (document.visibilityState !== 'visible' || media === undefined || !inUse) return;
  // Browsers drop the wake lock of a hidden page.
  keepScreenOn();
  for (const track of await media.reacquireEnded()) await sendTrack(track);
  sendMediaState();
  if (ui.remoteVideo.srcObject !== null && ui.remoteVideo.paused) playRemote();
}

ui.join.addEventListener('click', () => void join());
for (const button of ui.toggles) {
  button.addEventListener('click', () =>
    setMediaOn(button.dataset.toggle as Kind, button.getAttribute('aria-pressed') === 'true'),
  );
}
for (const [kind, select] of [
  ['audio', ui.micSelect],
  ['video', ui.cameraSelect],
] as const) {
  select.addEventListener('change', () => {
    media
      ?.useDevice(kind, select.value)
      .then(sendTrack)
      .catch((error: unknown) => console.warn('device change failed', error));
  });
}
ui.switchCamera.addEventListener('click', () => {
  media
    ?.nextCamera(isPhone)
    .then(sendTrack)
    .catch((error: unknown) => console.warn('camera switch failed', error));
});
ui.share.addEventListener('click', () => {
  if (screenTrack !== undefined) stopSharing();
  else shareScreen().catch((error: unknown) => console.warn('screen share failed', error));
});
ui.chatToggle.addEventListener('click', () => {
  ui.chat.hidden = !ui.chat.hidden;
  ui.chatToggle.setAttribute('aria-pressed', String(!ui.chat.hidden));
  if (!ui.chat.hidden) ui.chatInput.focus();
});
ui.chatForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.chatInput.value.trim().slice(0, 500);
  if (text === '' || link === undefined) return;
  link.sendPeer({ t: 'chat', text });
  addChatLine(text, true);
  ui.chatInput.value = '';
});
ui.hangup.addEventListener('click', hangUp);
ui.rejoin.addEventListener('click', () => location.reload());
ui.reload.addEventListener('click', () => location.reload());
document.addEventListener('visibilitychange', () => {
  onVisibilityChange().catch((error: unknown) => console.warn('resume failed', error));
});
window.addEventListener('online', onNetworkChange);
(navigator as { connection?: EventTarget }).connection?.addEventListener('change', onNetworkChange);
// A headset plugged in or a camera connected: offer it.
navigator.mediaDevices?.addEventListener('devicechange', () => {
  if (media !== undefined)
    void showDeviceChoice(media).catch((error: unknown) => console.warn('devices', error));
});
makeMovable(ui.localVideo);

async function start(): Promise<void> {
  setStatus('checking');
  const check = await checkRoom().catch((): RoomCheck => ({ ok: false, code: 'INTERNAL' }));
  setStatus(undefined);
  if (!check.ok) {
    showError(check.code);
    return;
  }
  if (isInAppBrowser(navigator.userAgent)) {
    showInAppScreen();
    return;
  }
  ui.call.dataset.screen = 'prejoin';
  const showPeerState = (present: boolean) => {
    ui.peerState.textContent = present ? texts.peerWaiting : texts.peerNotHere;
    ui.peerState.dataset.present = String(present);
  };
  showPeerState(check.peerPresent);
  peerStateHandle = setInterval(() => {
    void checkRoom().then(
      (latest) => latest.ok && showPeerState(latest.peerPresent),
      () => undefined,
    );
  }, PEER_STATE_POLL_MS);
  ui.join.disabled = false;
  // The camera opens on the pre-join screen, so the person sees themselves before joining, and the Join tap
  // goes straight to the call. No answer for a long while: most likely an app's built-in browser, so say how
  // to get out of it, but come back here if the answer comes after all.
  mediaOpening = LocalMedia.open(showInAppScreen);
  const opened = await mediaOpening;
  if (opened === 'stuck') {
    clearInterval(peerStateHandle);
    showInAppScreen();
    return;
  }
  if (ui.call.dataset.screen === 'in-app') {
    ui.inApp.hidden = true;
    ui.prejoin.hidden = false;
    ui.call.dataset.screen = 'prejoin';
  }
  showPreview(opened);
}

if (window.isSecureContext) {
  void start();
} else {
  // Camera, microphone and crypto.randomUUID exist only on https (or localhost): say so instead of dying.
  showNotice(texts.insecure, false);
}
