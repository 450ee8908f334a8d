import type { Language } from '../src/protocol/language.js';

// The words of a booked call's waiting screen, without the DOM: how long until the room opens, and when the
// call is, in the device's own time zone (the phone knows where its owner is).

/** "1 h 05 min", "4 min 30 s", "45 s": the time left, down to seconds in the last minutes. */
export function timeLeft(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes >= 10) return `${minutes} min`;
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

/** When the call is, in words: "miércoles, 2 de diciembre, 10:00". */
export function callTimeWords(atMs: number, language: Language, timeZone?: string): string {
  return new Intl.DateTimeFormat(language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone !== undefined && { timeZone }),
  }).format(atMs);
}

/** How long to wait before the next repaint of the countdown: each second near the end, each minute before. */
export function nextTickMs(ms: number): number {
  if (ms > 10 * 60_000) return Math.min(ms - 10 * 60_000, ms % 60_000 || 60_000);
  return Math.min(ms, ms % 1000 || 1000);
}
