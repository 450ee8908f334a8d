import type { ErrorCode } from '../src/errors.js';
import type { ServerMessage } from '../src/protocol/signaling-messages.js';
import { pageTexts, type TextKey } from './i18n.js';
import { PeerLink } from './peer-link.js';
import { SignalingClient } from './signaling-client.js';

// The call page: everything that touches the DOM. Signaling and negotiation live in DOM-free modules.

const { language, texts } = pageTexts(
  navigator.languages.length > 0 ? navigator.languages : [navigator.language],
);
document.documentElement.lang = language;
for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) {
  element.textContent = texts[element.dataset.text as TextKey];
}

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
const ui = {
  call: byId<HTMLElement>('call'),
  remoteVideo: byId<HTMLVideoElement>('remote-video'),
  localVideo: byId<HTMLVideoElement>('local-video'),
  status: byId<HTMLElement>('status'),
  prejoin: byId<HTMLElement>('prejoin'),
  peerState: byId<HTMLElement>('peer-state'),
  join: byId<HTMLButtonElement>('join'),
  notice: byId<HTMLElement>('notice'),
  noticeText: byId<HTMLElement>('notice-text'),
  rejoin: byId<HTMLButtonElement>('rejoin'),
  controls: byId<HTMLElement>('controls'),
  hangup: byId<HTMLButtonElement>('hangup'),
  mute: byId<HTMLButtonElement>('mute'),
  camera: byId<HTMLButtonElement>('camera'),
  switchCamera: byId<HTMLButtonElement>('switch-camera'),
  chatToggle: byId<HTMLButtonElement>('chat-toggle'),
  chat: byId<HTMLElement>('chat'),
  chatLog: byId<HTMLOListElement>('chat-log'),
  chatForm: byId<HTMLFormElement>('chat-form'),
  chatInput: byId<HTMLInputElement>('chat-input'),
  remoteOff: byId<HTMLElement>('remote-off'),
  remoteMuted: byId<HTMLElement>('remote-muted'),
  timer: byId<HTMLElement>('timer'),
  inApp: byId<HTMLElement>('inapp'),
  openChrome: byId<HTMLAnchorElement>('open-chrome'),
  copyLink: byId<HTMLButtonElement>('copy-link'),
  copied: byId<HTMLElement>('copied'),
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
// A tab keeps its client id across reloads, so a reload takes its own seat back at once.
const clientId = sessionStorage.getItem('wwb.client') ?? crypto.randomUUID();
sessionStorage.setItem('wwb.client', clientId);
const sessionId = crypto.randomUUID();

const CLOSE_CODE_ERRORS: Record<number, ErrorCode> = {
  4001: 'SEAT_REPLACED',
  4403: 'SEAT_KEY_INVALID',
  4404: 'ROOM_NOT_FOUND',
  4409: 'SEAT_TAKEN',
  4410: 'ROOM_EXPIRED',
};

let signaling: SignalingClient | undefined;
let link: PeerLink | undefined;
let localStream: MediaStream | undefined;
let polite = false;
let iceServers: Extract<ServerMessage, { type: 'joined' }>['iceServers'] = [];
let lastError: ErrorCode | undefined;
let joinTappedAt = 0;
let firstLink = true;
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

/** Apps' built-in browsers where getUserMedia is missing or never answers (Facebook, Instagram, Messenger…). */
const IN_APP_BROWSER =
  /FBAN|FBAV|FB_IAB|Instagram|Messenger|Line\/|Snapchat|Twitter|TikTok|musical_ly|BytedanceWebview/i;
/** In some in-app browsers getUserMedia exists but never settles: after this long, we say so. */
const MEDIA_WATCHDOG_MS = 8_000;

/** The screen that sends people from an app's built-in browser to a real one, with the link ready to paste. */
function showInAppScreen(): void {
  ui.call.dataset.screen = 'in-app';
  ui.prejoin.hidden = true;
  ui.controls.hidden = true;
  ui.notice.hidden = true;
  ui.inApp.hidden = false;
  setStatus(undefined);
  // The query form of the link survives an Android intent, which keeps the fragment for itself.
  const link = `${location.origin}${location.pathname}?k=${seatKey}`;
  if (/Android/i.test(navigator.userAgent)) {
    ui.openChrome.href = `intent://${location.host}${location.pathname}?k=${seatKey}#Intent;scheme=https;package=com.android.chrome;end`;
    ui.openChrome.hidden = false;
  }
  ui.copyLink.onclick = () => {
    const shown = () => {
      ui.copied.hidden = false;
    };
    navigator.clipboard.writeText(link).then(shown, () => {
      ui.copied.textContent = link;
      shown();
    });
  };
}

type MediaResult = MediaStream | undefined | 'stuck' | 'denied';

async function openMedia(): Promise<MediaResult> {
  const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  const video = { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 } };
  // Some in-app browsers have no getUserMedia at all.
  if (typeof navigator.mediaDevices?.getUserMedia !== 'function') return 'stuck';
  let denied = false;
  for (const constraints of [{ audio, video }, { audio }, { video }]) {
    try {
      const watchdog = new Promise<'stuck'>((resolve) =>
        setTimeout(() => resolve('stuck'), MEDIA_WATCHDOG_MS),
      );
      const result = await Promise.race([navigator.mediaDevices.getUserMedia(constraints), watchdog]);
      return result;
    } catch (error) {
      console.warn('getUserMedia failed', constraints, error);
      denied ||= (error as { name?: unknown } | null)?.name === 'NotAllowedError';
    }
  }
  return denied ? 'denied' : undefined;
}

function playRemote(): void {
  ui.remoteVideo.play().catch(() => {
    setStatus('tapToPlay');
    document.addEventListener('click', () => void ui.remoteVideo.play().then(() => setStatus('connected')), {
      once: true,
    });
  });
}

/** One peer connection per page load of the other person; a new load of theirs means a new connection. */
function linkTo(peerSessionId: string): void {
  if (link?.peerSessionId === peerSessionId) return;
  link?.close();
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
      if (message.t === 'state') {
        ui.remoteMuted.hidden = message.audio;
        ui.remoteOff.hidden = message.video;
      } else {
        addChatLine(message.text, false);
      }
    },
    onIceFailed: () => {
      setStatus('reconnecting');
      signaling?.send({ type: 'refresh-ice' });
    },
    localStream,
    send: (message) => signaling?.send(message),
    onRemoteStream: (stream) => {
      if (ui.remoteVideo.srcObject !== stream) {
        ui.remoteVideo.srcObject = stream;
        playRemote();
      }
    },
    onStateChange: (state) => {
      if (state === 'connected') {
        setStatus('connected');
        reportConnected(created);
        startTimer();
        void link?.capVideoBitrate().catch((error: unknown) => console.warn('bitrate cap', error));
      } else if (state === 'disconnected' || state === 'failed') setStatus('reconnecting');
    },
  });
}

/** Our microphone and camera as the other person should see them. */
function sendMediaState(): void {
  const enabled = (kind: 'audio' | 'video') =>
    localStream
      ?.getTracks()
      .some((track) => track.kind === kind && track.enabled && track.readyState === 'live') ?? false;
  link?.sendPeer({ t: 'state', audio: enabled('audio'), video: enabled('video') });
}

function toggleTrack(kind: 'audio' | 'video', button: HTMLButtonElement): void {
  const tracks = localStream?.getTracks().filter((track) => track.kind === kind) ?? [];
  const off = button.getAttribute('aria-pressed') !== 'true';
  for (const track of tracks) track.enabled = !off;
  button.setAttribute('aria-pressed', String(off));
  if (kind === 'video') ui.localVideo.classList.toggle('off', off);
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

let facing: 'user' | 'environment' = 'user';

/**
 * Front/back camera. The old track is stopped before the other camera is asked for (iOS gives a black frame
 * otherwise), then the new track takes the old one's place on the same sender: no renegotiation.
 */
async function switchCamera(): Promise<void> {
  const old = localStream?.getVideoTracks()[0];
  if (localStream === undefined || old === undefined) return;
  facing = facing === 'user' ? 'environment' : 'user';
  old.stop();
  const fresh = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: facing }, width: { ideal: 640 }, height: { ideal: 480 } },
  });
  const track = fresh.getVideoTracks()[0];
  if (track === undefined) return;
  track.enabled = ui.camera.getAttribute('aria-pressed') !== 'true';
  localStream.removeTrack(old);
  localStream.addTrack(track);
  ui.localVideo.srcObject = localStream;
  ui.localVideo.classList.toggle('rear', facing === 'environment');
  await link?.replaceVideoTrack(track);
}

/** Offer the switch where there is more than one camera, or on phones (whose cameras may be listed late). */
async function showCameraSwitch(): Promise<void> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const cameras = devices.filter((device) => device.kind === 'videoinput').length;
  ui.switchCamera.hidden =
    !(cameras > 1 || /Android|iPhone|iPad/i.test(navigator.userAgent)) || cameras === 0;
}

let timerHandle: ReturnType<typeof setInterval> | undefined;
/** The call timer starts at the first connection and keeps counting through reconnections. */
function startTimer(): void {
  if (timerHandle !== undefined) return;
  const startedAt = Date.now();
  ui.timer.hidden = false;
  const show = () => {
    const seconds = Math.floor((Date.now() - startedAt) / 1000);
    ui.timer.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  };
  show();
  timerHandle = setInterval(show, 1000);
}

/** Back on the signaling server (after a reconnect): a call that kept flowing says so again. */
function showCallState(): void {
  if (link?.pc.connectionState === 'connected') setStatus('connected');
}

function dropLink(): void {
  link?.close();
  link = undefined;
  ui.remoteVideo.srcObject = null;
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
      if (message.reason === 'hangup') {
        dropLink();
        setStatus('peerLeft');
      } else if (link?.pc.connectionState !== 'connected') {
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

async function join(): Promise<void> {
  joinTappedAt = Date.now();
  ui.join.disabled = true;
  const media = await openMedia();
  if (media === 'stuck') {
    showInAppScreen();
    return;
  }
  localStream = media === 'denied' ? undefined : media;
  if (localStream !== undefined) {
    void showCameraSwitch();
    ui.localVideo.srcObject = localStream;
    ui.localVideo.dataset.live = '';
  }
  ui.call.dataset.screen = 'call';
  ui.prejoin.hidden = true;
  ui.controls.hidden = false;
  if (media === 'denied') {
    // Browsers do not ask twice: say how to allow it here, and offer the reload that makes it take effect.
    showNotice(/iPhone|iPad/i.test(navigator.userAgent) ? texts.deniedIos : texts.denied, true);
    ui.rejoin.textContent = texts.reload;
    ui.call.dataset.media = 'denied';
  } else if (localStream === undefined) {
    showNotice(texts.noMedia, false);
  }
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
      message: onMessage,
      reconnecting: () => setStatus('reconnecting'),
      closed: (code) => {
        dropLink();
        showError(CLOSE_CODE_ERRORS[code] ?? lastError ?? 'INTERNAL');
      },
    },
  });
  signaling.connect();
}

function hangUp(): void {
  clearInterval(timerHandle);
  signaling?.leave();
  dropLink();
  for (const track of localStream?.getTracks() ?? []) track.stop();
  delete ui.localVideo.dataset.live;
  ui.controls.hidden = true;
  ui.call.dataset.screen = 'ended';
  setStatus(undefined);
  showNotice(texts.ended, true);
}

ui.join.addEventListener('click', () => void join());
ui.mute.addEventListener('click', () => toggleTrack('audio', ui.mute));
ui.camera.addEventListener('click', () => toggleTrack('video', ui.camera));
ui.switchCamera.addEventListener('click', () => {
  switchCamera().catch((error: unknown) => console.warn('camera switch failed', error));
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

async function start(): Promise<void> {
  setStatus('checking');
  const check = await checkRoom().catch((): RoomCheck => ({ ok: false, code: 'INTERNAL' }));
  setStatus(undefined);
  if (!check.ok) {
    showError(check.code);
    return;
  }
  if (IN_APP_BROWSER.test(navigator.userAgent)) {
    showInAppScreen();
    return;
  }
  ui.call.dataset.screen = 'prejoin';
  ui.peerState.textContent = check.peerPresent ? texts.peerWaiting : texts.peerNotHere;
  ui.join.disabled = false;
}

void start();
