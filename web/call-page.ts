import { ERRORS, type ErrorCode } from '../src/errors.js';
import { problemOf } from '../src/protocol/problems.js';
import { CallTimer, QualityIndicator } from './call-indicators.js';
import { CallSession, type SessionStatus } from './call-session.js';
import { isPhone, language, setStatus, texts, ui } from './call-ui.js';
import { isInAppBrowser } from './in-app-browser.js';
import { LocalControls } from './local-controls.js';
import { ScreenWakeLock } from './screen-wake-lock.js';
import { LocalMedia, type Kind } from './local-media.js';
import { PeerLink } from './peer-link.js';
import {
  addChatLine,
  playRemote,
  showInAppScreen,
  showNotice,
  showProblem,
  showRemoteState,
  showVoiceParticipant,
} from './call-screens.js';
import { checkRoom as askRoom, type RoomCheck } from './room-api.js';
import { makeMovable } from './self-view.js';
import { announceArrival, arrivalTitle } from './arrival-alert.js';
import { showEarly } from './early-screen.js';
import { SignalingClient } from './signaling-client.js';
import { clientId, iceTransportPolicy, roomId, seatKey, sessionId } from './page-address.js';

// The call page: its screens, controls and their wiring, and nothing else. The call itself (signaling, the
// peer connection, what the server's messages mean) is a DOM-free CallSession; devices, quality figures and
// the movable self-view are modules of their own.

/** How often the pre-join screen asks whether the other person is in the room. */
const PEER_STATE_POLL_MS = 3_000;

let session: CallSession | undefined;
let mediaOpening: Promise<LocalMedia | 'stuck'> | undefined;
const local = new LocalControls(() => session);
const screenLock = new ScreenWakeLock(() => ui.call.dataset.screen === 'call');

/** The "reconnecting" banner, while the call is down (CallSession.reconnecting), in the call screen only. */
function showReconnecting(): void {
  ui.reconnecting.hidden = !(session?.reconnecting ?? false) || ui.call.dataset.screen !== 'call';
  ui.call.dataset.reconnecting = String(!ui.reconnecting.hidden);
  ui.call.dataset.signaling = session?.serverAway === true ? 'down' : 'up';
}

function showError(code: ErrorCode): void {
  ui.call.dataset.screen = 'error';
  ui.call.dataset.error = code;
  ui.controls.hidden = true;
  setStatus(undefined);
  showReconnecting();
  showProblem(problemOf(code));
}

/** Asks the server where this link stands. */
function checkRoom(): Promise<RoomCheck> {
  return askRoom({ roomId, clientId, seatKey }, ERRORS);
}

const timer = new CallTimer(ui.timer);
const quality = new QualityIndicator(ui.quality, texts, language, () => session?.link?.pc);

/** What the call session asks the page to show. */
function sessionEvents(): ConstructorParameters<typeof CallSession>[0]['events'] {
  return {
    status: (status: SessionStatus) => setStatus(status),
    connectivity: showReconnecting,
    // A new connection starts from the camera: the other page has just loaded and shows our video afresh.
    newLink: () => local.stopSharing(),
    remoteStream: (stream) => {
      if (ui.remoteVideo.srcObject !== stream) {
        ui.remoteVideo.srcObject = stream;
        playRemote();
      }
    },
    connected: () => {
      timer.start();
      quality.start();
    },
    channelOpen: () => local.sendMediaState(),
    peerVia: () => showVoiceParticipant(),
    peerArrived: () => announceArrival(arrivalTitle(texts.peerArrived, texts.peerArrivedShort, peerLabel)),
    peerMessage: (message) => {
      if (message.t === 'state') showRemoteState(message);
      else addChatLine(message.text, false);
    },
    linkDropped: () => {
      ui.remoteVideo.srcObject = null;
      quality.hide();
      showReconnecting();
    },
    peerHungUp: () => endCall('peer'),
    ended: (code) => {
      // The link is no longer good (expired, opened elsewhere): nothing keeps the camera on.
      timer.stop();
      quality.stop();
      local.media?.stop();
      delete ui.localVideo.dataset.live;
      showError(code);
    },
  };
}

let peerStateHandle: ReturnType<typeof setInterval> | undefined;
/** Who this link calls, once the server said (for the arrival title). */
let peerLabel: string | undefined;

async function join(): Promise<void> {
  const joinTappedAt = Date.now();
  ui.join.disabled = true;
  clearInterval(peerStateHandle);
  // The tap may come before the camera answered (the permission prompt is still open): wait for it here.
  const opened = await mediaOpening;
  if (opened === undefined || opened === 'stuck') return;
  ui.call.dataset.screen = 'call';
  screenLock.keep();
  ui.prejoin.hidden = true;
  ui.controls.hidden = false;
  ui.share.hidden = isPhone || typeof navigator.mediaDevices.getDisplayMedia !== 'function';
  setStatus('connecting');

  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  session = new CallSession({
    url: `${scheme}://${location.host}/ws/${encodeURIComponent(roomId)}?client=${clientId}&session=${sessionId}`,
    seatKey,
    iceTransportPolicy,
    localStream: () => local.media?.stream,
    checkRoom,
    events: sessionEvents(),
    createSignaling: (options) => new SignalingClient(options),
    createLink: (options) => new PeerLink(options),
  });
  session.join(joinTappedAt);
}

/**
 * The call is over for this page, whoever hung up: the camera and microphone are let go, the timer and the chat
 * go away, and the ended screen says how long it lasted and offers a way back in (the other person may come
 * back, or it was a mistake).
 */
function endCall(who: 'me' | 'peer'): void {
  if (who === 'me') session?.hangUp();
  else session?.end();
  screenLock.release();
  const lasted = timer.stop();
  quality.stop();
  local.stopSharing();
  local.media?.stop();
  delete ui.localVideo.dataset.live;
  ui.controls.hidden = true;
  ui.chat.hidden = true;
  ui.chatToggle.setAttribute('aria-pressed', 'false');
  ui.call.dataset.screen = 'ended';
  ui.call.dataset.ended = who;
  setStatus(who === 'peer' ? 'peerLeft' : undefined);
  showReconnecting();
  const said = who === 'peer' ? texts.peerEnded : texts.ended;
  showNotice({
    title: texts.endedTitle,
    text: lasted === undefined ? said : `${said} ${texts.lasted} ${lasted}.`,
    action: 'rejoin',
  });
}

function hangUp(): void {
  endCall('me');
}

/**
 * Phones take the camera away from a page in the background and freeze its video: the other side is told the
 * video is paused (not a frozen face), and on return ended tracks come back from the same devices.
 */
async function onVisibilityChange(): Promise<void> {
  local.sendMediaState();
  const { media } = local;
  // After hanging up the tracks are ended on purpose: they stay that way.
  const inUse = ui.call.dataset.screen === 'call' || ui.call.dataset.screen === 'prejoin';
  if (document.visibilityState !== 'visible' || media === undefined || !inUse) return;
  // Browsers drop the wake lock of a hidden page.
  screenLock.keep();
  for (const track of await media.reacquireEnded()) await local.sendTrack(track);
  local.sendMediaState();
  if (ui.remoteVideo.srcObject !== null && ui.remoteVideo.paused) playRemote();
}

ui.join.addEventListener('click', () => void join());
for (const button of ui.toggles) {
  button.addEventListener('click', () =>
    local.setMediaOn(button.dataset.toggle as Kind, button.getAttribute('aria-pressed') === 'true'),
  );
}
for (const [kind, select] of [
  ['audio', ui.micSelect],
  ['video', ui.cameraSelect],
] as const) {
  select.addEventListener('change', () => {
    local.media
      ?.useDevice(kind, select.value)
      .then((track) => local.sendTrack(track))
      .catch((error: unknown) => console.warn('device change failed', error));
  });
}
ui.switchCamera.addEventListener('click', () => {
  local.media
    ?.nextCamera(isPhone)
    .then((track) => local.sendTrack(track))
    .catch((error: unknown) => console.warn('camera switch failed', error));
});
ui.share.addEventListener('click', () => {
  if (local.sharing) local.stopSharing();
  else local.shareScreen().catch((error: unknown) => console.warn('screen share failed', error));
});
ui.chatToggle.addEventListener('click', () => {
  ui.chat.hidden = !ui.chat.hidden;
  ui.chatToggle.setAttribute('aria-pressed', String(!ui.chat.hidden));
  if (!ui.chat.hidden) ui.chatInput.focus();
});
ui.chatForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.chatInput.value.trim().slice(0, 500);
  if (text === '' || session?.link === undefined) return;
  session.sendPeer({ t: 'chat', text });
  addChatLine(text, true);
  ui.chatInput.value = '';
});
ui.hangup.addEventListener('click', hangUp);
for (const button of [ui.rejoin, ui.retry, ui.reload])
  button.addEventListener('click', () => location.reload());
document.addEventListener('visibilitychange', () => {
  onVisibilityChange().catch((error: unknown) => console.warn('resume failed', error));
});
// A new network (Wi-Fi ↔ mobile data): the session restarts ICE at once.
const onNetworkChange = () => session?.networkChanged();
window.addEventListener('online', onNetworkChange);
(navigator as { connection?: EventTarget }).connection?.addEventListener('change', onNetworkChange);
// A headset plugged in or a camera connected: offer it.
navigator.mediaDevices?.addEventListener('devicechange', () => {
  void local.showDeviceChoice().catch((error: unknown) => console.warn('devices', error));
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
  if (check.opensAt !== undefined && check.startsAt !== undefined && check.opensAt > Date.now()) {
    showEarly(check.startsAt, check.opensAt);
    return;
  }
  if (isInAppBrowser(navigator.userAgent)) {
    showInAppScreen(seatKey);
    return;
  }
  ui.call.dataset.screen = 'prejoin';
  peerLabel = check.peerLabel;
  if (check.peerLabel !== undefined) ui.title.textContent = `${texts.callWith} ${check.peerLabel}`;
  let present = check.peerPresent;
  const showPeerState = (now: boolean) => {
    // Someone waiting on the pre-join screen is told the moment the other person comes in.
    if (now && !present) announceArrival(arrivalTitle(texts.peerArrived, texts.peerArrivedShort, peerLabel));
    present = now;
    ui.peerState.textContent = now ? texts.peerWaiting : texts.peerNotHere;
    ui.peerState.dataset.present = String(now);
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
  mediaOpening = LocalMedia.open(() => showInAppScreen(seatKey));
  const opened = await mediaOpening;
  if (opened === 'stuck') {
    clearInterval(peerStateHandle);
    showInAppScreen(seatKey);
    return;
  }
  if (ui.call.dataset.screen === 'in-app') {
    ui.inApp.hidden = true;
    ui.prejoin.hidden = false;
    ui.call.dataset.screen = 'prejoin';
  }
  local.showPreview(opened);
}

if (window.isSecureContext) {
  void start();
} else {
  // Camera, microphone and crypto.randomUUID exist only on https (or localhost): say so instead of dying.
  showProblem('insecure');
}
