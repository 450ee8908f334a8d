import type { ErrorCode } from '../src/errors.js';
import { knownErrorCode } from './server-messages.js';

/** Where a link stands: usable (and whether the other person is in), or why not. */
export type RoomCheck =
  | {
      ok: true;
      peerPresent: boolean;
      peerLabel: string | undefined;
      /** A booked call: when it starts, and when its room opens. */
      startsAt?: number | undefined;
      opensAt?: number | undefined;
    }
  | { ok: false; code: ErrorCode };

/**
 * Asks the server where this link stands (`GET /api/rooms/:roomId`): the only way to learn why a WebSocket
 * upgrade was refused. `knownCodes` are the codes the page can explain; any other becomes INTERNAL.
 */
export async function checkRoom(
  request: { roomId: string; clientId: string; seatKey: string },
  knownCodes: Readonly<Record<string, unknown>>,
): Promise<RoomCheck> {
  const response = await fetch(
    `/api/rooms/${encodeURIComponent(request.roomId)}?client=${encodeURIComponent(request.clientId)}`,
    { headers: { authorization: `Bearer ${request.seatKey}` }, cache: 'no-store' },
  );
  const body: unknown = await response.json().catch(() => undefined);
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (response.ok) {
    const label = fields.peerLabel;
    return {
      ok: true,
      peerPresent: fields.peerPresent === true,
      peerLabel: typeof label === 'string' && label !== '' ? label.slice(0, 100) : undefined,
      startsAt: typeof fields.startsAt === 'number' ? fields.startsAt : undefined,
      opensAt: typeof fields.opensAt === 'number' ? fields.opensAt : undefined,
    };
  }
  return { ok: false, code: knownErrorCode(fields.code, knownCodes) };
}
