// Text people wrote (names, messages) ends up in URLs, template parameters and logs. JSON lets it hold lone
// UTF-16 surrogates and control characters, which make encodeURIComponent throw and WhatsApp refuse a template
// parameter; it is cleaned once, where it enters.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 and C1 controls except tab and newline, and the bidirectional overrides that can disguise a name.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** The text with lone surrogates replaced by U+FFFD and control characters removed. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROLS, '');
}

/**
 * A name or label on one line: well formed, whitespace runs as one space (template parameters may hold no
 * newline, tab or run of spaces), at most `maxLength` characters, never cutting a character in two.
 */
export function oneLine(text: string, maxLength = 100): string {
  const line = wellFormed(text).replace(/\s+/g, ' ').trim();
  return Array.from(line).slice(0, maxLength).join('');
}
