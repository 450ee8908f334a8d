import { preferredLanguage } from '../src/protocol/language.js';

// The sandbox chat: write to the bot as any phone number and read its replies to every number.

interface SandboxEvent {
  seq: number;
  direction: 'in' | 'out';
  person: string;
  text: string;
}

const TEXTS = {
  es: {
    title: 'Sandbox de WhatsApp',
    intro: 'Nada sale a WhatsApp: escribe al bot como cualquier número y mira sus respuestas a cada persona.',
    number: 'Tu número',
    name: 'Tu nombre',
    send: 'Enviar',
    placeholder: 'videollamada +57 300 444 5566',
    failed: 'No se pudo enviar',
  },
  en: {
    title: 'WhatsApp sandbox',
    intro: 'Nothing goes to WhatsApp: write to the bot as any number and see its replies to each person.',
    number: 'Your number',
    name: 'Your name',
    send: 'Send',
    placeholder: 'videocall +57 300 444 5566',
    failed: 'Could not send',
  },
} as const;

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
text.placeholder = texts.placeholder;
from.value = '+57 300 111 2233';
name.value = 'Ana';

const events: SandboxEvent[] = [];
let lastSeq = 0;

const digits = (value: string) => value.replace(/\D/g, '');

/** Text with its links made clickable, built from text nodes only (never HTML). */
function renderText(target: HTMLElement, value: string): void {
  for (const part of value.split(/(https?:\/\/\S+)/)) {
    if (/^https?:\/\//.test(part)) {
      const anchor = document.createElement('a');
      anchor.href = part;
      anchor.textContent = part;
      anchor.target = '_blank';
      anchor.rel = 'noopener';
      target.append(anchor);
    } else {
      target.append(part);
    }
  }
}

function render(): void {
  const me = digits(from.value);
  chat.replaceChildren(
    ...events
      .filter((event) => event.person === me)
      .map((event) => {
        const bubble = document.createElement('div');
        bubble.className = `bubble ${event.direction}`;
        bubble.dataset.seq = String(event.seq);
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
      button.textContent = `+${number}`;
      button.setAttribute('aria-pressed', String(number === me));
      button.addEventListener('click', () => {
        from.value = `+${number}`;
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
    if (body.events.length > 0) {
      events.push(...body.events);
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
  const body = { from: from.value, name: name.value || undefined, text: text.value };
  void fetch('/sandbox/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => {
    if (response.ok) {
      text.value = '';
      return;
    }
    const problem = (await response.json()) as { code?: string; message?: string };
    error.textContent = `${texts.failed}: ${problem.message ?? response.status}`;
  });
});
from.addEventListener('input', render);
void poll();
