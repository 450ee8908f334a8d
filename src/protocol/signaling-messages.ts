import { z } from 'zod';
import type { ErrorBody } from '../errors.js';
import { MAX_MESSAGE_BYTES } from './signaling-constants.js';

// The signaling protocol's messages (docs/protocol.md). The call page imports only the types from this file,
// so no schema code reaches the browser bundle; its constants are in signaling-constants.ts.

const sessionDescriptionSchema = z.object({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().max(MAX_MESSAGE_BYTES),
});

const iceCandidateSchema = z.object({
  candidate: z.string().max(4096),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional(),
});

/** Messages a page sends. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('description'), description: sessionDescriptionSchema }),
  // null marks the end of this side's candidates.
  z.object({ type: z.literal('candidate'), candidate: iceCandidateSchema.nullable() }),
  z.object({ type: z.literal('ping') }),
  // Fresh ICE servers (TURN credentials expire), asked for before an ICE restart.
  z.object({ type: z.literal('refresh-ice') }),
  // The page's own report once its call connects: how long from the Join tap, and whether through TURN.
  z.object({
    type: z.literal('connected'),
    setupMs: z.number().min(0).max(600_000),
    path: z.enum(['direct', 'relay']),
  }),
  z.object({ type: z.literal('leave') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type SessionDescription = z.infer<typeof sessionDescriptionSchema>;
export type IceCandidate = z.infer<typeof iceCandidateSchema>;

/** ICE servers as RTCConfiguration takes them. */
export interface IceServerConfig {
  readonly urls: string | readonly string[];
  readonly username?: string | undefined;
  readonly credential?: string | undefined;
}

/** Why the other person is gone: they hung up, or their connection to the server was lost. */
export type LeaveReason = 'hangup' | 'lost';

/** Messages the server sends. `sessionId` names the page load a relayed message comes from. */
export type ServerMessage =
  | {
      readonly type: 'joined';
      readonly seat: 0 | 1;
      readonly polite: boolean;
      /** The other person's current page load, when they are connected. */
      readonly peerSessionId: string | null;
      readonly iceServers: readonly IceServerConfig[];
      readonly expiresAt: number;
    }
  | { readonly type: 'peer-joined'; readonly sessionId: string }
  | { readonly type: 'peer-left'; readonly reason: LeaveReason }
  /** The other seat's page load is not a page: the person is in the call by a WhatsApp voice call. */
  | { readonly type: 'peer-via'; readonly sessionId: string; readonly via: 'whatsapp-voice' }
  | { readonly type: 'description'; readonly sessionId: string; readonly description: SessionDescription }
  | { readonly type: 'candidate'; readonly sessionId: string; readonly candidate: IceCandidate | null }
  | { readonly type: 'ice-servers'; readonly iceServers: readonly IceServerConfig[] }
  | { readonly type: 'pong' }
  | ({ readonly type: 'error' } & ErrorBody);

/** Identifies a page load (session) and its tab (client): both are random, URL-safe and short. */
export const connectionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
