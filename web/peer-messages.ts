/** What the two pages tell each other directly, over the call's data channel (no server in between). */
export type PeerMessage =
  | { readonly t: 'state'; readonly audio: boolean; readonly video: boolean }
  | { readonly t: 'chat'; readonly text: string };

/** Longest chat message accepted from the other side. */
export const MAX_CHAT_LENGTH = 500;

/** The other page's message, checked field by field; anything else is dropped. */
export function parsePeerMessage(data: unknown): PeerMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const m = value as { t?: unknown; audio?: unknown; video?: unknown; text?: unknown } | null;
  if (m?.t === 'state' && typeof m.audio === 'boolean' && typeof m.video === 'boolean') {
    return { t: 'state', audio: m.audio, video: m.video };
  }
  if (
    m?.t === 'chat' &&
    typeof m.text === 'string' &&
    m.text.length > 0 &&
    m.text.length <= MAX_CHAT_LENGTH
  ) {
    return { t: 'chat', text: m.text };
  }
  return undefined;
}
