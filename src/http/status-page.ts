import type { Language } from '../protocol/language.js';

const PAGES = {
  ROOM_NOT_FOUND: {
    es: ['Esta videollamada no existe', 'Revisa que abriste el enlace completo que te llegó por WhatsApp.'],
    en: ['This call does not exist', 'Check that you opened the whole link you got on WhatsApp.'],
  },
  ROOM_EXPIRED: {
    es: ['Esta videollamada ha caducado', 'Pide una nueva escribiendo «videollamada» y el número al bot.'],
    en: ['This call has expired', 'Ask the bot for a new one: write “videocall” and the number.'],
  },
} as const;

/** The reason a room page cannot open. */
export type StatusPageReason = keyof typeof PAGES;

/** A small page for a room that cannot be joined, in the person's language. */
export function renderStatusPage(reason: StatusPageReason, language: Language): string {
  const [title, text] = PAGES[reason][language];
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
<main class="status-card" data-reason="${reason}">
<h1>${title}</h1>
<p>${text}</p>
</main>
</body>
</html>
`;
}
