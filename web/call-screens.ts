import type { PeerMessage } from './peer-messages.js';
import { openInBrowserLinks } from './in-app-browser.js';
import {
  actionFor,
  actionLabel,
  NEW_LINK_META,
  problemWords,
  type Problem,
  type ProblemAction,
} from '../src/protocol/problems.js';
import { language, setStatus, texts, ui } from './call-ui.js';

// The call page's screens and what it shows of the other person: notices, the open-in-browser screen, the
// remote video, their media state and the chat.

/** What the notice says, and the one thing it offers. */
export interface Notice {
  readonly title: string;
  readonly text: string;
  readonly action: ProblemAction | 'rejoin';
}

/** Where "ask for a new link" goes, as the server put it in the page (the sandbox, or the bot's chat). */
function newLinkUrl(): string | undefined {
  const content = document.querySelector<HTMLMetaElement>(`meta[name="${NEW_LINK_META}"]`)?.content;
  return content === undefined || content === '' ? undefined : content;
}

/** A notice in place of the pre-join screen: the end of a call, or why the link cannot open. */
export function showNotice(notice: Notice): void {
  ui.prejoin.hidden = true;
  ui.notice.hidden = false;
  ui.noticeTitle.textContent = notice.title;
  ui.noticeText.textContent = notice.text;
  ui.rejoin.hidden = notice.action !== 'rejoin';
  ui.retry.hidden = notice.action !== 'retry';
  const newLink = notice.action === 'new-link' ? newLinkUrl() : undefined;
  ui.newLink.hidden = newLink === undefined;
  if (newLink !== undefined) ui.newLink.href = newLink;
}

/** The notice for a problem, in the page's language (the same words as the server's status page). */
export function showProblem(problem: Problem): void {
  const action = actionFor(problem);
  showNotice({ ...problemWords(problem, language), action });
  ui.notice.dataset.problem = problem;
  if (action !== 'none') {
    ui.retry.textContent = actionLabel('retry', language);
    ui.newLink.textContent = actionLabel('new-link', language);
  }
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

/** The other person joined by a WhatsApp voice call: a phone where their video would be. */
export function showVoiceParticipant(): void {
  ui.remoteMuted.hidden = true;
  ui.remoteOff.hidden = false;
  ui.remoteOffText.textContent = texts.whatsappVoiceRemote;
  ui.remoteOff.dataset.reason = 'whatsapp-voice';
  ui.remoteOffIcon.setAttribute('href', '#i-phone');
}

/** What the other page told us about its media: an avatar instead of a frozen frame, a muted badge. */
export function showRemoteState(message: Extract<PeerMessage, { t: 'state' }>): void {
  ui.remoteOffIcon.setAttribute('href', '#i-person');
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
