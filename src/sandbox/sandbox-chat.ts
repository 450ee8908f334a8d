import type { SendRequest, WhatsAppClient } from '../whatsapp/outbox/whatsapp-client.js';

/** One line of a simulated WhatsApp conversation between a person and the bot. */
export interface SandboxEvent {
  readonly seq: number;
  readonly atMs: number;
  /**
   * 'in': the person wrote to the bot; 'out': the bot wrote to the person; 'peer': another person wrote to
   * them directly (an invitation forwarded from the inviter's own chat, as a wa.me link does on a phone);
   * 'call-ended': the service ended a WhatsApp call (`wamid` is its call id), no line of any chat.
   */
  readonly direction: 'in' | 'out' | 'peer' | 'call-ended';
  /** The person's number (or user id): whose chat this line is in. */
  readonly person: string;
  /** The bot's line (business number) the chat is with; none for person-to-person lines. */
  readonly line?: string;
  /** For 'peer' lines: who wrote. */
  readonly from?: string;
  readonly text: string;
  readonly wamid: string;
}

/** How many lines the sandbox keeps; older ones scroll away. */
const MAX_EVENTS = 1_000;

/** Text a person would read for a Cloud API message body. */
function readableText(content: SendRequest['content']): string {
  const c = content as {
    text?: { body?: string };
    interactive?: { body?: { text?: string }; action?: { parameters?: { url?: string } } };
  };
  if (c.text?.body !== undefined) return c.text.body;
  if (c.interactive !== undefined) {
    return [c.interactive.body?.text, c.interactive.action?.parameters?.url].filter(Boolean).join('\n');
  }
  return JSON.stringify(content);
}

/**
 * The sandbox's WhatsApp: outgoing messages land in this in-process conversation log instead of Meta, and the
 * sandbox page shows them next to what each simulated person wrote.
 */
export class SandboxChat implements WhatsAppClient {
  readonly #events: SandboxEvent[] = [];
  #seq = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a message a simulated person wrote to `line`. */
  recordIncoming(line: string, person: string, text: string, wamid: string): void {
    this.#push({ direction: 'in', line, person, text, wamid });
  }

  /** Records a message one simulated person sent another from their own chat (not through the bot). */
  recordForwarded(from: string, to: string, text: string): void {
    this.#push({ direction: 'peer', person: to, from, text, wamid: `wamid.sandbox.peer.${this.#seq + 1}` });
  }

  /** The service ended a WhatsApp call the sandbox page placed (the page hangs up its side). */
  recordCallEnded(callId: string): void {
    this.#push({ direction: 'call-ended', person: '', text: '', wamid: callId });
  }

  send(request: SendRequest): Promise<{ wamid: string }> {
    const wamid = `wamid.sandbox.out.${this.#seq + 1}`;
    this.#push({
      direction: 'out',
      line: request.line,
      person: request.to,
      text: readableText(request.content),
      wamid,
    });
    return Promise.resolve({ wamid });
  }

  /** Lines after `seq`, oldest first. */
  eventsAfter(seq: number): SandboxEvent[] {
    return this.#events.filter((event) => event.seq > seq);
  }

  #push(event: Omit<SandboxEvent, 'seq' | 'atMs'>): void {
    this.#events.push({ ...event, seq: ++this.#seq, atMs: this.now() });
    if (this.#events.length > MAX_EVENTS) this.#events.shift();
  }
}
