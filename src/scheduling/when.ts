import * as chrono from 'chrono-node';
import type { CountryCode } from 'libphonenumber-js';
import { DateTime } from 'luxon';
import type { Language } from '../protocol/language.js';

/**
 * When a person asked for a call to happen, as far as their words tell: a moment, or why the bot must ask
 * again rather than guess.
 */
export type When =
  | { readonly kind: 'at'; readonly atMs: number }
  /** A day without a time ("mañana", "el viernes"). */
  | { readonly kind: 'needs-time' }
  /** An hour from 1 to 7 without a.m. or p.m.: early morning is unlikely, afternoon is not certain. */
  | { readonly kind: 'ambiguous-hour'; readonly hour: number }
  /** Two times in one request: which one is meant is not guessed. */
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'past'; readonly atMs: number }
  | { readonly kind: 'too-far'; readonly atMs: number };

/** How far ahead a call can be booked. */
export const MAX_DAYS_AHEAD = 90;
/** Times this close to now (or just gone) are "now": the call is made at once. */
const NOW_TOLERANCE_MS = 60_000;

// Phrasings people use that the date parser reads wrong or not at all, rewritten into ones it reads.
const PM =
  '(?:de la|en la|por la)\\s+(?:tarde|noche)|da\\s+(?:tarde|noite)|in the (?:afternoon|evening)|at night';
const AM = '(?:de la|en la|por la)\\s+(?:mañana|madrugada)|da\\s+(?:manhã|madrugada)|in the morning';
const REWRITES: readonly (readonly [RegExp, string])[] = [
  // "10h", "15h30" (Brazil, Spain).
  [/\b(\d{1,2})h(\d{2})?\b/giu, '$1:$2'],
  [/\b(\d{1,2}):(?=\D|$)/gu, '$1:00'],
  [new RegExp(`\\b(\\d{1,2})(?::(\\d{2}))?\\s*(?:${PM})`, 'giu'), '$1:$2 pm'],
  [new RegExp(`\\b(\\d{1,2})(?::(\\d{2}))?\\s*(?:${AM})`, 'giu'), '$1:$2 am'],
  [/(\d):(?=\s[ap]m)/gu, '$1:00'],
  [/\b(?:al\s+)?mediod[ií]a\b|\bmeio-dia\b/giu, '12:00'],
];
const DAY_AFTER_TOMORROW = /pasado\s+mañana|depois\s+de\s+amanhã|(?:the\s+)?day\s+after\s+tomorrow/giu;
/** What "now" (or "today" alone) is in words: the call is made at once, as without a time. */
const NOW_WORDS = /^(ahora(?: mismo)?|ya|hoy|now|right now|today|agora|já|hoje)$/iu;

/** The parser for a language; English dates are day-first except where people write month-first. */
function parserFor(language: Language, country: CountryCode | undefined): chrono.Chrono {
  if (language === 'es') return chrono.es.casual;
  if (language === 'pt') return chrono.pt.casual;
  return country === 'US' || country === 'CA' || country === 'PH' ? chrono.en.casual : chrono.en.GB;
}

/**
 * The time a request names, read in `zone` (its words in the person's language first, then the others), or
 * undefined when it names none. `text` is the request without the phone number in it.
 */
export function readWhen(
  text: string,
  options: { language: Language; country: CountryCode | undefined; zone: string; nowMs: number },
): When | undefined {
  // The parser works in the process's local time: give it the zone's wall clock as a local date, and read its
  // answer back as a wall clock in the zone (so DST and the zone's offset are the zone's, not the server's).
  const now = DateTime.fromMillis(options.nowMs, { zone: options.zone });
  const reference = new Date(now.year, now.month - 1, now.day, now.hour, now.minute, now.second);
  // "The day after tomorrow" is not in every locale's words: written as the date it is.
  const dayAfterTomorrow = now.plus({ days: 2 }).toISODate() as string;
  const rewritten = REWRITES.reduce(
    (result, [pattern, replacement]) => result.replace(pattern, replacement),
    text.replace(DAY_AFTER_TOMORROW, dayAfterTomorrow),
  );
  // Each language's reading; the one that understood most of the words wins, the person's own on a tie.
  const languages = [
    options.language,
    ...(['es', 'en', 'pt'] as const).filter((l) => l !== options.language),
  ];
  let results: chrono.ParsedResult[] = [];
  let understood = 0;
  for (const language of languages) {
    const found = parserFor(language, options.country)
      .parse(rewritten, reference, { forwardDate: true })
      .filter((result) => !NOW_WORDS.test(result.text.trim()));
    const length = found.reduce((sum, result) => sum + result.text.length, 0);
    if (length > understood) {
      results = found;
      understood = length;
    }
  }
  if (results.length === 0) return undefined;
  if (results.length > 1) return { kind: 'ambiguous' };
  const start = (results[0] as chrono.ParsedResult).start;
  if (!start.isCertain('hour')) return { kind: 'needs-time' };
  const hour = start.get('hour') ?? 0;
  if (!start.isCertain('meridiem') && hour >= 1 && hour <= 7) return { kind: 'ambiguous-hour', hour };
  const at = DateTime.fromObject(
    {
      year: start.get('year') ?? now.year,
      month: start.get('month') ?? now.month,
      day: start.get('day') ?? now.day,
      hour,
      minute: start.get('minute') ?? 0,
    },
    { zone: options.zone },
  );
  const atMs = at.toMillis();
  if (atMs < options.nowMs - NOW_TOLERANCE_MS) return { kind: 'past', atMs };
  if (atMs > options.nowMs + MAX_DAYS_AHEAD * 86_400_000) return { kind: 'too-far', atMs };
  return { kind: 'at', atMs };
}
