import type { Line } from '../config-lines.js';
import { isExpired, opensAtMs, type Room, type SeatIndex } from '../rooms/room.js';
import type { SeatFollowUp } from '../signaling/seat-follow-up.js';
import type { RoomSignaling } from '../signaling/room-signaling.js';
import type { BridgeNetwork } from './bridge-peer.js';
import type { CallingActions } from './calling-actions.js';
import { callPayload, type CallItem } from './calls-webhook.js';
import { RoomLeg } from './room-leg.js';
import { readVoicePayload, voicePayloadValid } from './voice-payload.js';
import { WhatsAppLeg } from './whatsapp-leg.js';

/** Why a WhatsApp call was not bridged (metrics label and log). */
export type CallRefusal =
  | 'calling_off'
  | 'no_payload'
  | 'room_not_found'
  | 'room_closed'
  /** A booked call's room, before it opens. */
  | 'room_not_open'
  | 'seat_in_use'
  | 'no_offer'
  | 'bridge_failed'
  | 'media_failed';

export interface CallBridgeDeps {
  readonly signaling: RoomSignaling;
  readonly rooms: { get(id: string): Promise<Room | undefined> };
  readonly actions: CallingActions;
  readonly network: BridgeNetwork;
  readonly enabled: boolean;
  readonly log: {
    info(details: object, message: string): void;
    warn(details: object, message: string): void;
    error(details: object, message: string): void;
  };
  readonly now: () => number;
  /** How long WhatsApp's media may take to connect once the call is accepted (30 s when not given). */
  readonly mediaTimeoutMs?: number | undefined;
  /** Heard for each call: bridged (with the setup time), refused (with why) or ended. */
  readonly report?:
    ((what: { outcome: 'bridged'; setupMs: number } | { outcome: CallRefusal }) => void) | undefined;
  /** Counts what is relayed (called once per second per call and direction, not per packet). */
  readonly relayed?: ((direction: 'to_room' | 'to_whatsapp', packets: number) => void) | undefined;
  /**
   * Follows the seat the bridge takes, as a page's socket is followed: its join and its end go to the call
   * history and the call events (participant.joined, participant.left, call.ended).
   */
  readonly followSeat?:
    | ((
        room: Room,
        seat: SeatIndex,
        connectionId: string,
      ) => Pick<SeatFollowUp, 'joined' | 'happened' | 'lost'>)
    | undefined;
  /** The number of calls bridged now, whenever it changes. */
  readonly active?: ((calls: number) => void) | undefined;
}

interface Bridged {
  readonly line: Line;
  readonly whatsapp: WhatsAppLeg;
  readonly room: RoomLeg;
  readonly followUp: Pick<SeatFollowUp, 'joined' | 'happened' | 'lost'> | undefined;
  /** Packets relayed since they were last reported. */
  readonly counts: { toRoom: number; toWhatsApp: number };
}

/**
 * Bridges WhatsApp voice calls into rooms: a person taps the invitation's voice-call button (or its wa.me/call
 * link), WhatsApp sends a `connect` with their offer and our payload; the bridge answers it, takes the person's
 * seat in the room, and passes Opus both ways without decoding. Either side's hang-up ends both legs, and
 * `terminate` is always sent for a call we end.
 */
export class CallBridges {
  readonly #calls = new Map<string, Bridged>();
  readonly #reporting: NodeJS.Timeout;

  constructor(private readonly deps: CallBridgeDeps) {
    this.#reporting = setInterval(() => this.#reportRelayed(), 1_000);
    this.#reporting.unref();
  }

  #reportRelayed(): void {
    for (const { counts } of this.#calls.values()) {
      this.deps.relayed?.('to_room', counts.toRoom);
      this.deps.relayed?.('to_whatsapp', counts.toWhatsApp);
      counts.toRoom = 0;
      counts.toWhatsApp = 0;
    }
  }

  /** One `calls` item of a webhook, for `line`; never throws (the webhook is acknowledged whatever happens). */
  async handle(call: CallItem, line: Line): Promise<void> {
    try {
      if (call.event === 'connect' && call.direction !== 'BUSINESS_INITIATED')
        await this.#connect(call, line);
      else if (call.event === 'terminate') await this.#ended(call.id, 'WhatsApp ended the call', false);
    } catch (error) {
      this.deps.log.error({ err: error, callId: call.id }, 'calling: could not handle a call');
    }
  }

  /** Ends every bridged call (shutdown): both legs, and `terminate` to WhatsApp. */
  async close(): Promise<void> {
    clearInterval(this.#reporting);
    await Promise.all([...this.#calls.keys()].map((id) => this.#ended(id, 'the service is stopping', true)));
  }

  get active(): number {
    return this.#calls.size;
  }

  async #connect(call: CallItem, line: Line): Promise<void> {
    const startedAt = this.deps.now();
    const checked = await this.#check(call);
    if ('refusal' in checked) {
      this.deps.log.warn({ callId: call.id, why: checked.refusal }, 'calling: a WhatsApp call refused');
      this.deps.report?.({ outcome: checked.refusal });
      await this.deps.actions.run(line, { action: 'reject', callId: call.id });
      return;
    }
    const { target, record } = checked;
    let whatsapp: WhatsAppLeg | undefined;
    let room: RoomLeg | undefined;
    try {
      whatsapp = await WhatsAppLeg.answer(call.session?.sdp ?? '', this.deps.network);
      // Media may start before `accept`: nothing is clipped at the start of the call.
      await this.deps.actions.run(line, { action: 'pre_accept', callId: call.id, sdp: whatsapp.answer });
      room = await RoomLeg.join(this.deps.signaling, target, this.deps.network);
      const followUp = this.deps.followSeat?.(record, target.seat, room.connectionId);
      const bridged: Bridged = { line, whatsapp, room, followUp, counts: { toRoom: 0, toWhatsApp: 0 } };
      const counts = bridged.counts;
      whatsapp.onAudio = (packet) => {
        counts.toRoom++;
        bridged.room.sendAudio(packet);
      };
      room.onAudio = (packet) => {
        counts.toWhatsApp++;
        bridged.whatsapp.sendAudio(packet);
      };
      room.onEnded = (why) => void this.#ended(call.id, why, true);
      this.#calls.set(call.id, bridged);
      this.deps.active?.(this.#calls.size);
      await this.deps.actions.run(line, { action: 'accept', callId: call.id, sdp: whatsapp.answer });
      whatsapp.watch(this.deps.mediaTimeoutMs ?? 30_000, (why) => {
        if (!this.#calls.has(call.id)) return;
        this.deps.report?.({ outcome: 'media_failed' });
        void this.#ended(call.id, `WhatsApp media ${why}`, true);
      });
      followUp?.joined();
      this.deps.log.info({ callId: call.id, roomId: target.roomId, seat: target.seat }, 'calling: bridged');
      this.deps.report?.({ outcome: 'bridged', setupMs: this.deps.now() - startedAt });
    } catch (error) {
      this.deps.log.error({ err: error, callId: call.id }, 'calling: could not bridge a call');
      this.deps.report?.({ outcome: 'bridge_failed' });
      this.#calls.delete(call.id);
      await room?.leave('hangup');
      await whatsapp?.close();
      await this.deps.actions.run(line, { action: 'terminate', callId: call.id }).catch(() => undefined);
    }
  }

  /** Why the call is refused, or the seat it is for. */
  async #check(
    call: CallItem,
  ): Promise<{ refusal: CallRefusal } | { target: { roomId: string; seat: SeatIndex }; record: Room }> {
    const refuse = (refusal: CallRefusal) => ({ refusal });
    if (!this.deps.enabled) return refuse('calling_off');
    const target = readVoicePayload(callPayload(call) ?? '');
    if (target === undefined) return refuse('no_payload');
    const room = await this.deps.rooms.get(target.roomId);
    if (room === undefined || !voicePayloadValid(target, room.seats[target.seat].keyHash))
      return refuse('room_not_found');
    if (isExpired(room, this.deps.now()) || room.cancelledAtMs !== undefined) return refuse('room_closed');
    if (this.deps.now() < opensAtMs(room)) return refuse('room_not_open');
    if (await this.deps.signaling.hub.isConnected(target.roomId, target.seat)) return refuse('seat_in_use');
    if (call.session?.sdp_type !== 'offer') return refuse('no_offer');
    return { target: { roomId: target.roomId, seat: target.seat }, record: room };
  }

  async #ended(callId: string, why: string, tellWhatsApp: boolean): Promise<void> {
    const bridged = this.#calls.get(callId);
    if (bridged === undefined) return;
    this.#reportRelayed();
    this.#calls.delete(callId);
    this.deps.active?.(this.#calls.size);
    this.deps.log.info({ callId, why }, 'calling: call ended');
    // The person hung up on WhatsApp: their hang-up, as a page's; otherwise their side went away with the call.
    if (tellWhatsApp) bridged.followUp?.lost();
    else bridged.followUp?.happened('hangup');
    await bridged.room.leave('hangup');
    await bridged.whatsapp.close();
    if (tellWhatsApp)
      await this.deps.actions
        .run(bridged.line, { action: 'terminate', callId })
        .catch((error: unknown) => this.deps.log.error({ err: error, callId }, 'calling: terminate failed'));
  }
}
