import { pageTexts, type TextKey } from './i18n.js';

// The call page's elements, and its texts in the person's language, applied to the page once.

export const { language, texts } = pageTexts(
  navigator.languages.length > 0 ? navigator.languages : [navigator.language],
);
document.documentElement.lang = language;
for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) {
  element.textContent = texts[element.dataset.text as TextKey];
}
// Icon buttons and the videos: a name for screen readers, and a tooltip for the mouse.
for (const element of document.querySelectorAll<HTMLInputElement>('[data-placeholder]')) {
  element.placeholder = texts[element.dataset.placeholder as TextKey];
}
for (const element of document.querySelectorAll<HTMLElement>('[data-label]')) {
  element.setAttribute('aria-label', texts[element.dataset.label as TextKey]);
  if (element instanceof HTMLButtonElement) element.title = texts[element.dataset.label as TextKey];
}

function byId<T extends Element>(id: string): T {
  return document.getElementById(id) as Element as T;
}
/** Every element the page's code touches. */
export const ui = {
  call: byId<HTMLElement>('call'),
  remoteVideo: byId<HTMLVideoElement>('remote-video'),
  localVideo: byId<HTMLVideoElement>('local-video'),
  status: byId<HTMLElement>('status'),
  reconnecting: byId<HTMLElement>('reconnecting'),
  prejoin: byId<HTMLElement>('prejoin'),
  title: byId<HTMLElement>('title'),
  peerState: byId<HTMLElement>('peer-state'),
  mediaProblem: byId<HTMLElement>('media-problem'),
  reload: byId<HTMLButtonElement>('reload'),
  micChoice: byId<HTMLElement>('mic-choice'),
  micSelect: byId<HTMLSelectElement>('mic-select'),
  cameraChoice: byId<HTMLElement>('camera-choice'),
  cameraSelect: byId<HTMLSelectElement>('camera-select'),
  join: byId<HTMLButtonElement>('join'),
  notice: byId<HTMLElement>('notice'),
  noticeTitle: byId<HTMLElement>('notice-title'),
  noticeText: byId<HTMLElement>('notice-text'),
  rejoin: byId<HTMLButtonElement>('rejoin'),
  retry: byId<HTMLButtonElement>('retry'),
  newLink: byId<HTMLAnchorElement>('new-link'),
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
  remoteOffIcon: byId<SVGUseElement>('remote-off-icon'),
  remoteMuted: byId<HTMLElement>('remote-muted'),
  quality: byId<HTMLElement>('quality'),
  timer: byId<HTMLElement>('timer'),
  inApp: byId<HTMLElement>('inapp'),
  openChrome: byId<HTMLAnchorElement>('open-chrome'),
  copyLink: byId<HTMLButtonElement>('copy-link'),
  copied: byId<HTMLElement>('copied'),
  toggles: document.querySelectorAll<HTMLButtonElement>('[data-toggle]'),
};

/** A phone: front/back camera switch, no screen sharing. */
export const isPhone = /Android|iPhone|iPad/i.test(navigator.userAgent);

/** The status line under the video. */
export function setStatus(key: TextKey | undefined): void {
  ui.status.textContent = key === undefined ? '' : texts[key];
  ui.call.dataset.status = key ?? '';
}
