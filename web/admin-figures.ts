import {
  DURATION_EDGES_MS,
  SETUP_EDGES_MS,
  undeliveredReason,
  type CallRow,
  type StatsAnswer,
  type TimelineEntry,
} from '../src/protocol/dashboard.js';
import type { AdminTexts } from './admin-texts.js';

// The dashboard's DOM-free logic: what its plots, cards and rows say, from the server's figures.

/** A text with `{name}` holes filled. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

/** The operator's offset from UTC in minutes east, as the server's `tz` takes it. */
export function utcOffsetMinutes(date: Date): number {
  return -date.getTimezoneOffset();
}

/** The time series with a zero for every bar without calls, x in seconds (as uPlot takes time). */
export function seriesColumns(stats: StatsAnswer): {
  x: number[];
  created: number[];
  connected: number[];
  failed: number[];
} {
  const byStart = new Map(stats.series.map((point) => [point.startMs, point]));
  const columns = {
    x: [] as number[],
    created: [] as number[],
    connected: [] as number[],
    failed: [] as number[],
  };
  const from = Date.parse(stats.from);
  const to = Date.parse(stats.to);
  for (let start = from; start < to; start += stats.bucketMs) {
    const point = byStart.get(start);
    columns.x.push(start / 1000);
    columns.created.push(point?.created ?? 0);
    columns.connected.push(point?.connected ?? 0);
    columns.failed.push(point?.failed ?? 0);
  }
  return columns;
}

const number = (value: number, language: string, digits = 0) =>
  new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);

/**
 * The bars' labels of a histogram, short enough for a phone: "<1", "1–2", …, "≥20" (the unit is in the
 * plot's caption: seconds for the setup time, minutes for durations).
 */
export function histogramLabels(of: 'setup' | 'duration', language: string): string[] {
  const edges: readonly number[] = of === 'setup' ? SETUP_EDGES_MS : DURATION_EDGES_MS;
  const unit = of === 'setup' ? 1_000 : 60_000;
  const at = (ms: number) => number(ms / unit, language);
  return [
    `<${at(edges[0] ?? 0)}`,
    ...edges.slice(1).map((edge, index) => `${at(edges[index] ?? 0)}–${at(edge)}`),
    `≥${at(edges.at(-1) ?? 0)}`,
  ];
}

/** "1 h 05 min", "4 min 10 s", "35 s"; an empty mark for an unknown duration. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

/** A share as a percentage ("40 %"), or an empty mark when there is nothing to share. */
export function share(part: number, whole: number, language: string): string {
  if (whole === 0) return '—';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 }).format(part / whole);
}

/** Who took part, as the history shows them: a name when known, the masked number else. */
export function who(call: CallRow): string {
  const person = (name: string | null, number: string | null) => name ?? number ?? '?';
  return `${person(call.hostName, call.host)} → ${person(call.guestName, call.guest)}`;
}

/** Why a call failed, in words: the invitation's failure reason (with WhatsApp's code). */
export function failureText(code: number | null, texts: AdminTexts): string {
  if (code === null) return '';
  const reason = texts[`reason_${undeliveredReason(code)}`];
  return code === 0 ? reason : `${reason} (${code})`;
}

/** One line of a call's timeline, in words. */
export function timelineText(entry: TimelineEntry, texts: AdminTexts): string {
  const data = entry.data;
  const participant =
    data.participant === 'host' ? texts.host : data.participant === 'guest' ? texts.guest : undefined;
  const parts: string[] = [texts[`event_${entry.kind as 'created'}`] ?? entry.kind];
  if (participant !== undefined) parts.push(participant);
  if (entry.kind === 'created' && typeof data.reachedBy === 'string') {
    parts.push(texts[`reached_${data.reachedBy as 'link'}`] ?? data.reachedBy);
  }
  if (entry.kind === 'invitation' && typeof data.state === 'string') {
    parts.push(data.state === 'failed' ? failureText(Number(data.errorCode ?? 0), texts) : data.state);
  }
  if (entry.kind === 'joined') parts.push(`${String(data.browser)} / ${String(data.platform)}`);
  if (entry.kind === 'connected') {
    parts.push(
      `${texts[data.path === 'relay' ? 'relay' : 'direct']}, ${formatDuration(Number(data.setupMs))}`,
    );
  }
  if (entry.kind === 'left') parts.push(data.reason === 'hangup' ? '📞' : texts.ended_lost);
  return parts.join(' · ');
}

/** How a call ended, in words, for its detail. */
export function endedText(call: CallRow, texts: AdminTexts): string {
  if (call.endedBy === null) return '';
  return texts[`ended_${call.endedBy as 'lost'}`] ?? call.endedBy;
}
