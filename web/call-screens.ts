import type { PeerMessage } from './peer-messages.js';
import { openInBrowserLinks } from './in-app-browser.js';
import { setStatus, texts, ui } from './call-ui.js';

// The call page's screens and what it shows of the other person: notices, the open-in-browser screen, the
// remote video, their media state and the chat.

/** A notice in place of the pre-join screen, with a way back in where there is one. */
export function showNotice(text: string, canRejoin: boolean): void {
  ui.prejoin.hidden = true;
  ui.notice.hidden = false;
  ui.noticeText.textContent = text;
  ui.rejoin.hidden = !canRejoin;
}

/** The screen that sends people from an app's built-in browser to a real one, with the link ready to paste. */
export function showInAppScreen(seatKey: string): void {
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

export function playRemote(): void {
  ui.remoteVideo.play().catch(() => {
    setStatus('tapToPlay');
    document.addEventListener('click', () => void ui.remoteVideo.play().then(() => setStatus('connected')), {
      once: true,
    });
  });
}

/** What the other page told us about its media: an avatar instead of a frozen frame, a muted badge. */
export function showRemoteState(message: Extract<PeerMessage, { t: 'state' }>): void {
  ui.remoteMuted.hidden = message.audio || message.paused;
  ui.remoteOff.hidden = message.video && !message.paused;
  ui.remoteOffText.textContent = message.paused ? texts.pausedRemote : texts.cameraOffRemote;
  ui.remoteOff.dataset.reason = message.paused ? 'paused' : 'camera-off';
  ui.remoteVideo.classList.toggle('screen', message.screen);
}

export function addChatLine(text: string, mine: boolean): void {
  const line = document.createElement('li');
  line.textContent = text;
  if (mine) line.className = 'mine';
  ui.chatLog.append(line);
  ui.chatLog.scrollTop = ui.chatLog.scrollHeight;
  if (!mine) {
    ui.chat.hidden = false;
    ui.chatToggle.setAttribute('aria-pressed', 'true');
  }
}
