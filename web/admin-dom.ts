import { LANGUAGES, preferredLanguage, type Language } from '../src/protocol/language.js';
import { ADMIN_TEXTS, type AdminTextKey, type AdminTexts } from './admin-texts.js';

// What both dashboard pages share: their language, their words, small DOM helpers and JSON requests.

const LANGUAGE_KEY = 'wwb-admin-language';

/** The operator's language: the one they chose here, else the browser's (Spanish unless it prefers another). */
export function adminLanguage(): { language: Language; texts: AdminTexts } {
  const chosen = localStorage.getItem(LANGUAGE_KEY);
  const language =
    LANGUAGES.find((candidate) => candidate === chosen) ?? preferredLanguage(navigator.languages);
  return { language, texts: ADMIN_TEXTS[language] };
}

/** Puts the page's words in place, and a language selector that reloads the page in another. */
export function applyTexts(language: Language, texts: AdminTexts): void {
  document.documentElement.lang = language;
  document.title = texts.title;
  for (const element of document.querySelectorAll<HTMLElement>('[data-text]')) {
    element.textContent = texts[element.dataset.text as AdminTextKey] ?? '';
  }
  const select = document.querySelector<HTMLSelectElement>('#language');
  if (select === null) return;
  for (const option of LANGUAGES)
    select.append(new Option(option.toUpperCase(), option, false, option === language));
  select.addEventListener('change', () => {
    localStorage.setItem(LANGUAGE_KEY, select.value);
    location.reload();
  });
}

/** An element with text and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { text?: string; className?: string; attributes?: Record<string, string> } = {},
  children: readonly (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.text !== undefined) element.textContent = options.text;
  if (options.className !== undefined) element.className = options.className;
  for (const [name, value] of Object.entries(options.attributes ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing`);
  return element as T;
}

/** A table of rows of texts under a header; `empty` when there are no rows. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  empty: string,
): HTMLElement {
  if (rows.length === 0) return el('p', { text: empty, className: 'empty' });
  return el('table', {}, [
    el('thead', {}, [
      el(
        'tr',
        {},
        headers.map((header) => el('th', { text: header })),
      ),
    ]),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          {},
          row.map((cell) => el('td', { text: cell })),
        ),
      ),
    ),
  ]);
}

/** A JSON answer, or the error the server gave (its code, and the HTTP status). */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(code ?? `HTTP ${status}`);
  }
}

export async function requestJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { credentials: 'same-origin', ...init });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as { code?: string };
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new RequestError(
      response.status,
      body.code,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return body as T;
}
