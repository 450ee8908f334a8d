import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { preferredLanguage } from '../src/protocol/language.js';
import { SANDBOX_TEXTS as TEXTS } from './sandbox-texts.js';
import { SandboxVoiceCall } from './sandbox-voice.js';

// The sandbox chat: write to the bot as any phone number and read its replies to every number.

interface SandboxEvent {
  seq: number;
  direction: 'in' | 'out' | 'peer' | 'call-ended';
  /** For 'call-ended': the call's id. */
  wamid: string;
  person: string;
  /** The bot's line the chat is with (several lines: several bots). */
  line?: string;
  from?: string;
  text: string;
}

const language = preferredLanguage(
  navigator.languages.length > 0 ? navigator.languages : [navigator.language],
);
const texts = TEXTS[language];
document.documentElement.lang = language;
for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) {
  element.textContent = texts[element.dataset.text as keyof typeof texts];
}

const from = document.getElementById('from') as HTMLInputElement;
const name = document.getElementById('name') as HTMLInputElement;
const people = document.getElementById('people') as HTMLElement;
const chat = document.getElementById('chat') as HTMLElement;
const composer = document.getElementById('composer') as HTMLFormElement;
const text = document.getElementById('text') as HTMLInputElement;
const error = document.getElementById('error') as HTMLElement;
const forward = document.getElementById('forward') as HTMLFormElement;
const forwardTo = document.getElementById('forward-to') as HTMLElement;
const forwardText = document.getElementById('forward-text') as HTMLTextAreaElement;
const lineChoice = document.getElementById('line-choice') as HTMLElement;
const voiceBar = document.getElementById('voice-call') as HTMLElement;
const voiceStatus = document.getElementById('voice-status') as HTMLElement;
const voiceHangUp = document.getElementById('voice-hangup') as HTMLButtonElement;
const voiceAudio = document.getElementById('voice-audio') as HTMLAudioElement;
const VOICE_STATES = {
  calling: texts.voiceCalling,
  'in-call': texts.voiceInCall,
  rejected: texts.voiceRejected,
  ended: texts.voiceEnded,
} as const;
const voice = new SandboxVoiceCall({
  show: (state) => {
    voiceBar.hidden = state === undefined;
    voiceBar.dataset.state = state ?? '';
    voiceStatus.textContent = state === undefined ? '' : VOICE_STATES[state];
    voiceHangUp.hidden = state !== 'calling' && state !== 'in-call';
  },
  play: (stream) => {
    voiceAudio.srcObject = stream;
    void voiceAudio.play().catch(() => undefined);
  },
});
voiceHangUp.addEventListener('click', () => voice.hangUp());
const line = document.getElementById('line') as HTMLSelectElement;
/** The bot's lines by id, their names; shown only when there are several. */
const lineNames = new Map<string, string>();
text.placeholder = texts.placeholder;
from.value = '+57 300 111 2233';
name.value = 'Ana';

const events: SandboxEvent[] = [];
let lastSeq = 0;

const digits = (value: string) => value.replace(/\D/g, '');

/** "+57 300 444 5566" for "573004445566", as WhatsApp shows a number; a user id as it is. */
function formatNumber(person: string): string {
  if (!/^\d+$/.test(person)) return person;
  return parsePhoneNumberFromString(`+${person}`)?.formatInternational() ?? `+${person}`;
}

/** WhatsApp's *bold* and _italic_, as elements made of text nodes only (never HTML). */
function appendFormatted(target: HTMLElement, value: string): void {
  for (const part of value.split(/(\*[^*\n]+\*|_[^_\n]+_)/)) {
    const tag = /^\*.+\*$/.test(part) ? 'strong' : /^_.+_$/.test(part) ? 'em' : undefined;
    if (tag === undefined) {
      target.append(part);
      continue;
    }
    const element = document.createElement(tag);
    element.textContent = part.slice(1, -1);
    target.append(element);
  }
}

/** The bot's short link that forwards an invitation (`/i/<room>?k=<key>`), on whatever origin it names. */
const FORWARD_LINK = /^https?:\/\/[^/\s]+(\/i\/[\w-]{22}\?k=[\w-]{22})$/;
/** The invitation's link that calls the business on WhatsApp, with the seat's payload. */
const VOICE_CALL_LINK = /^https:\/\/wa\.me\/call\/\d+\?biz_payload=([\w.%-]+)$/;

/**
 * Text with its links made clickable. The link that forwards an invitation opens, as it does on a phone through
 * wa.me, this person's own chat with the invitee, the invitation already written.
 */
function renderText(target: HTMLElement, value: string): void {
  for (const part of value.split(/(https?:\/\/\S+)/)) {
    const forwardPath = FORWARD_LINK.exec(part)?.[1];
    const voicePayload = VOICE_CALL_LINK.exec(part)?.[1];
    if (voicePayload !== undefined) {
      // What the link does on a phone: WhatsApp calls the business; here the page's microphone is the phone.
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'voice';
      button.textContent = texts.voiceCall;
      button.addEventListener('click', () => {
        void voice.call(from.value, decodeURIComponent(voicePayload)).catch(() => voice.hangUp());
      });
      target.append(button);
    } else if (forwardPath !== undefined) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'forward';
      button.textContent = texts.forwardLink;
      button.addEventListener('click', () => void openForward(forwardPath));
      target.append(button);
    } else if (/^https?:\/\//.test(part)) {
      const anchor = document.createElement('a');
      anchor.href = part;
      anchor.textContent = part;
      anchor.target = '_blank';
      anchor.rel = 'noopener';
      target.append(anchor);
    } else {
      appendFormatted(target, part);
    }
  }
}

/** The chat with the invitee, the invitation written (what wa.me opens on a phone): one tap sends it. */
async function openForward(forwardPath: string): Promise<void> {
  error.textContent = '';
  const response = await fetch(forwardPath, { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!response.ok) {
    error.textContent = texts.forwardGone;
    return;
  }
  const invitation = (await response.json()) as { to: string; text: string };
  forward.dataset.to = invitation.to;
  forwardTo.textContent = `${texts.forwardTo}: ${formatNumber(invitation.to)}`;
  forwardText.value = invitation.text;
  forward.hidden = false;
  forwardText.focus();
}

forward.addEventListener('submit', (event) => {
  event.preventDefault();
  const to = forward.dataset.to ?? '';
  void fetch('/sandbox/forward', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: from.value, to: `+${to}`, text: forwardText.value }),
  }).then((response) => {
    if (!response.ok) {
      error.textContent = `${texts.failed}: ${texts.badInput}`;
      return;
    }
    // What the invitee sees now: the invitation in their chat.
    forward.hidden = true;
    from.value = formatNumber(to);
    render();
  });
});

function render(): void {
  const me = digits(from.value);
  chat.replaceChildren(
    ...events
      .filter((event) => event.person === me)
      .map((event) => {
        const bubble = document.createElement('div');
        bubble.className = `bubble ${event.direction}`;
        bubble.dataset.seq = String(event.seq);
        if (lineNames.size > 1 && event.line !== undefined) {
          const tag = document.createElement('p');
          tag.className = 'sender';
          tag.textContent = `${event.direction === 'in' ? '→' : '←'} ${lineNames.get(event.line) ?? event.line}`;
          bubble.append(tag);
        }
        if (event.direction === 'peer' && event.from !== undefined) {
          const sender = document.createElement('p');
          sender.className = 'sender';
          sender.textContent = `${texts.from} ${formatNumber(event.from)}`;
          bubble.append(sender);
        }
        renderText(bubble, event.text);
        return bubble;
      }),
  );
  chat.scrollTop = chat.scrollHeight;
  const numbers = [...new Set(events.map((event) => event.person))];
  people.replaceChildren(
    ...numbers.map((number) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = formatNumber(number);
      button.setAttribute('aria-pressed', String(number === me));
      button.addEventListener('click', () => {
        from.value = formatNumber(number);
        render();
      });
      return button;
    }),
  );
}

async function poll(): Promise<void> {
  try {
    const response = await fetch(`/sandbox/events?after=${lastSeq}`, { cache: 'no-store' });
    const body = (await response.json()) as { events: SandboxEvent[] };
    for (const event of body.events) if (event.direction === 'call-ended') voice.endedByBusiness(event.wamid);
    if (body.events.length > 0) {
      events.push(...body.events.filter((event) => event.direction !== 'call-ended'));
      lastSeq = body.events[body.events.length - 1]?.seq ?? lastSeq;
      render();
    }
  } finally {
    setTimeout(() => void poll(), 700);
  }
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  error.textContent = '';
  const body = {
    from: from.value,
    name: name.value || undefined,
    text: text.value,
    ...(lineNames.size > 1 && { line: line.value }),
  };
  void fetch('/sandbox/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => {
    if (response.ok) {
      text.value = '';
      return;
    }
    // The server's words are for developers: the page says what to check, in the page's language.
    const problem = (await response.json().catch(() => ({}))) as { code?: string };
    error.textContent = `${texts.failed}: ${problem.code === 'BAD_REQUEST' ? texts.badInput : response.status}`;
  });
});
from.addEventListener('input', render);

/** The sandbox simulates each configured line: with several, the person chooses which one to write to. */
async function loadLines(): Promise<void> {
  const response = await fetch('/sandbox/lines', { cache: 'no-store' });
  const body = (await response.json()) as { lines: { id: string; name: string }[] };
  for (const { id, name: lineName } of body.lines) {
    lineNames.set(id, lineName);
    line.append(new Option(lineName, id));
  }
  lineChoice.hidden = lineNames.size < 2;
  render();
}

void loadLines();
void poll();
