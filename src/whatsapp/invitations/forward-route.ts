import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { renderStatusPage } from '../../http/status-page.js';
import { acceptLanguageTags, preferredLanguage, type Language } from '../../protocol/language.js';
import { authorizeSeat } from '../../signaling/seat-auth.js';
import { forwardedInvitation } from './forward-link.js';
import { languageForWaId } from './texts.js';

export interface ForwardRouteOptions {
  readonly publicBaseUrl: string;
  /** Where the page for a dead link offers to ask for a new one. */
  readonly newLinkUrl: string | undefined;
  /** A line's language, for an invitee whose number says nothing of theirs. */
  readonly lineLanguage?: ((line: string) => Language | undefined) | undefined;
  /** With WhatsApp voice calls bridged, the number a line's invitations offer to call. */
  readonly voiceCallNumber?: ((line: string) => string | undefined) | undefined;
  readonly now: () => number;
}

const querySchema = z.object({ k: z.string().optional() });

/**
 * `GET /i/:roomId?k=<invitee's seat key>`: the short link the inviter taps to forward an invitation. It
 * redirects to wa.me, which opens the inviter's chat with the invitee, the invitation written. Asked for JSON
 * (the sandbox, which plays WhatsApp's part), it answers with the invitation instead.
 */
export function forwardRoute(app: FastifyInstance, options: ForwardRouteOptions): Promise<void> {
  app.get<{ Params: { roomId: string } }>('/i/:roomId', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const wantsJson = request.headers.accept?.includes('application/json') === true;
    const query = querySchema.safeParse(request.query);
    const seatKey = query.success ? query.data.k : undefined;
    try {
      const { room, seat } = await authorizeSeat(
        app.storage.rooms,
        request.params.roomId,
        seatKey,
        options.now(),
      );
      // Only the invitee's key forwards: the inviter's own link is not for passing on.
      if (seat !== 1) throw new AppError('SEAT_KEY_INVALID');
      const inviteeWaId = room.seats[1].waId;
      const invitee =
        inviteeWaId === undefined ? undefined : await app.storage.people.get(inviteeWaId, room.line);
      const invitation = forwardedInvitation({
        room,
        guestSeatKey: seatKey ?? '',
        publicBaseUrl: options.publicBaseUrl,
        inviteeLanguage: invitee?.language ?? languageForWaId(inviteeWaId, options.lineLanguage?.(room.line)),
        voiceCallNumber: options.voiceCallNumber?.(room.line),
      });
      if (invitation === undefined) throw new AppError('ROOM_NOT_FOUND');
      if (wantsJson) return { to: invitation.to, text: invitation.text };
      return reply.redirect(invitation.waMeUrl, 302);
    } catch (error) {
      if (wantsJson || !(error instanceof AppError)) throw error;
      const language = preferredLanguage(acceptLanguageTags(request.headers['accept-language']));
      const reason = error.code === 'ROOM_EXPIRED' ? 'ROOM_EXPIRED' : 'ROOM_NOT_FOUND';
      return reply
        .code(reason === 'ROOM_EXPIRED' ? 410 : 404)
        .type('text/html; charset=utf-8')
        .send(renderStatusPage(reason, language, options.newLinkUrl));
    }
  });
  return Promise.resolve();
}
