import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { RoomSignaling } from '../signaling/room-signaling.js';
import { seatFollowUp } from '../signaling/seat-follow-up.js';
import { mintTurnCredentials } from '../signaling/turn-credentials.js';
import { CallBridges } from './call-bridge.js';
import { GraphCallingActions, type CallingActions } from './calling-actions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** WhatsApp voice calls bridged into rooms. */
    callBridges: CallBridges;
  }
}

/** Without the Cloud API (the sandbox) no call reaches us, and an action has nowhere to go: said in the log. */
const nowhere: CallingActions = {
  run: () => Promise.reject(new Error('no Cloud API configured for calling actions')),
};

/** The voice bridge; its calls are ended (both legs, `terminate` sent) before the signaling closes. */
export const callingPlugin = fp(
  (
    app: FastifyInstance,
    options: {
      config: Config;
      signaling: RoomSignaling;
      actions?: CallingActions | undefined;
      /** The sandbox plays WhatsApp's side itself, on this machine: calling is on, reached on loopback. */
      sandbox: boolean;
      /** How long WhatsApp's media may take to connect once a call is accepted. */
      mediaTimeoutMs?: number | undefined;
      now: () => number;
    },
  ) => {
    const { config } = options;
    const whatsapp = config.whatsapp;
    const actions =
      options.actions ??
      (whatsapp.mode === 'cloud' ? new GraphCallingActions({ ...whatsapp, timeoutMs: 10_000 }) : nowhere);
    const bridges = new CallBridges({
      signaling: options.signaling,
      rooms: app.storage.rooms,
      actions,
      enabled: config.calling.mode !== 'off' || options.sandbox,
      network: {
        iceServers: () => {
          // werift speaks TURN over UDP, and takes the first turn: URL.
          const turn = config.turn;
          if (!config.calling.relay || turn === undefined) return [];
          const urls = turn.urls.find((url) => url.startsWith('turn:'));
          const minted = mintTurnCredentials(turn, 'voice-bridge', options.now());
          return urls === undefined
            ? []
            : [{ urls, username: minted.username, credential: minted.credential }];
        },
        relayOnly: config.calling.relay,
        hostAddresses: options.sandbox
          ? ['127.0.0.1', ...config.calling.hostAddresses]
          : config.calling.hostAddresses,
        portRange: config.calling.portRange,
      },
      log: app.log,
      now: options.now,
      mediaTimeoutMs: options.mediaTimeoutMs,
      followSeat: (room, seat, connectionId) =>
        seatFollowUp(app, {
          room,
          seat,
          connectionId,
          userAgent: undefined,
          agent: { browser: 'WhatsApp', platform: 'WhatsApp voice call' },
          log: app.log,
          now: options.now,
        }),
      report: (what) => {
        app.metrics.voiceCalls.inc({ outcome: what.outcome });
        if (what.outcome === 'bridged') app.metrics.voiceCallSetupSeconds.observe(what.setupMs / 1000);
      },
      relayed: (direction, packets) => app.metrics.voicePacketsRelayed.inc({ direction }, packets),
      active: (calls) => app.metrics.voiceCallsActive.set(calls),
    });
    app.decorate('callBridges', bridges);
    app.addHook('onClose', () => bridges.close());
    return Promise.resolve();
  },
  { name: 'calling', dependencies: ['storage', 'metrics'] },
);
