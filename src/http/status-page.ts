import type { ErrorCode } from '../errors.js';
import type { Language } from '../protocol/language.js';
import { actionFor, actionLabel, problemOf, problemWords } from '../protocol/problems.js';

/** The reasons a room page cannot open before any script runs. */
export type StatusPageReason = Extract<ErrorCode, 'ROOM_NOT_FOUND' | 'ROOM_EXPIRED' | 'ROOM_CANCELLED'>;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/**
 * A small page for a link that cannot open, in the person's language: the same layout as the call page's own
 * problem screen (web/call-screens.ts), with its one way forward. It works without scripts (link previews,
 * old browsers): "try again" is a link to the same address.
 */
export function renderStatusPage(
  reason: StatusPageReason,
  language: Language,
  newLinkUrl: string | undefined,
): string {
  const problem = problemOf(reason);
  const { title, text } = problemWords(problem, language);
  const action = actionFor(problem);
  const href = action === 'new-link' ? newLinkUrl : action === 'retry' ? '' : undefined;
  const button =
    href === undefined || action === 'none'
      ? ''
      : `<a class="button primary" data-action="${action}" href="${escapeHtml(href)}">${actionLabel(action, language)}</a>`;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/call.css">
</head>
<body class="status-page">
<main class="problem" data-problem="${problem}" data-reason="${reason}">
<h1>${title}</h1>
<p>${text}</p>
<div class="actions">${button}</div>
</main>
</body>
</html>
`;
}
