/** What the two pages tell each other directly, over the call's data channel (no server in between). */
export type PeerMessage =
  | {
      readonly t: 'state';
      readonly audio: boolean;
      readonly video: boolean;
      /** The video is a shared screen: shown whole, not cropped to fill. */
      readonly screen: boolean;
      /** The page is in the background: its video is paused, not frozen by a fault. */
      readonly paused: boolean;
    }
  | { readonly t: 'chat'; readonly text: string }
  /** Hung up: sent beside the server's notice, which cannot arrive while the server is away. */
  | { readonly t: 'bye' };

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
  const m = value as Record<string, unknown> | null;
  if (m?.t === 'state' && typeof m.audio === 'boolean' && typeof m.video === 'boolean') {
    // `screen` and `paused` came later: a page without them sends neither.
    return {
      t: 'state',
      audio: m.audio,
      video: m.video,
      screen: m.screen === true,
      paused: m.paused === true,
    };
  }
  if (
    m?.t === 'chat' &&
    typeof m.text === 'string' &&
    m.text.length > 0 &&
    m.text.length <= MAX_CHAT_LENGTH
  ) {
    return { t: 'chat', text: m.text };
  }
  if (m?.t === 'bye') return { t: 'bye' };
  return undefined;
}
