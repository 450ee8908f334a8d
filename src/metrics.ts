import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric the service exports on /metrics, in one registry per app (so tests stay apart). */
export class Metrics {
  readonly registry = new Registry();
  readonly webhookDeliveries = new Counter({
    name: 'wwb_webhook_deliveries_total',
    help: 'POST /webhook requests, by outcome (accepted, or the error code they were rejected with)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookMessages = new Counter({
    name: 'wwb_webhook_messages_total',
    help: 'Incoming WhatsApp messages, by line and outcome (handled, duplicate, invalid, unhandleable, other_number); no line for the last two',
    labelNames: ['line', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly webhookErrors = new Counter({
    name: 'wwb_webhook_errors_total',
    help: 'Errors Meta reported in webhooks outside a message or status (value.errors), by Meta error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly invitations = new Counter({
    name: 'wwb_invitations_total',
    help: 'Invitations created, by line and how the invitee was reached (window, template, or forward link for the inviter)',
    labelNames: ['line', 'route'] as const,
    registers: [this.registry],
  });
  readonly outgoing = new Counter({
    name: 'wwb_outgoing_messages_total',
    help: 'Send attempts through the WhatsApp client, by line, message kind and outcome (sent, retry, failed)',
    labelNames: ['line', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly graphApiErrors = new Counter({
    name: 'wwb_graph_api_errors_total',
    help: 'Graph API errors, by line and error code (network for failures to reach it)',
    labelNames: ['line', 'code'] as const,
    registers: [this.registry],
  });
  readonly linesDisabled = new Gauge({
    name: 'wwb_outbox_lines_disabled',
    help: 'Outbox lines stopped after failing again and again (event endpoints), by line; 1 while stopped',
    labelNames: ['line'] as const,
    registers: [this.registry],
  });
  readonly roomsCreated = new Counter({
    name: 'wwb_rooms_created_total',
    help: 'Rooms created, by line',
    labelNames: ['line'] as const,
    registers: [this.registry],
  });
  readonly roomJoins = new Counter({
    name: 'wwb_room_joins_total',
    help: 'Signaling sockets seated in a room',
    registers: [this.registry],
  });
  readonly callsCompleted = new Counter({
    name: 'wwb_calls_completed_total',
    help: 'Calls ended by a hang-up',
    registers: [this.registry],
  });
  readonly callsConnected = new Counter({
    name: 'wwb_calls_connected_total',
    help: 'Calls connected, as pages report them, by path (direct or relay through TURN)',
    labelNames: ['path'] as const,
    registers: [this.registry],
  });
  readonly voiceCalls = new Counter({
    name: 'wwb_voice_calls_total',
    help: 'WhatsApp voice calls to the bridge, by outcome (bridged, or why refused)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly voicePacketsRelayed = new Counter({
    name: 'wwb_voice_packets_relayed_total',
    help: 'Opus packets the WhatsApp voice bridge passed on, by direction',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });
  readonly voiceCallsActive = new Gauge({
    name: 'wwb_voice_calls_active',
    help: 'WhatsApp voice calls bridged into rooms right now (this instance)',
    registers: [this.registry],
  });
  readonly voiceCallSetupSeconds = new Histogram({
    name: 'wwb_voice_call_setup_seconds',
    help: 'From a WhatsApp call webhook to the call accepted and seated in its room',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });
  readonly callSetupSeconds = new Histogram({
    name: 'wwb_call_setup_seconds',
    help: 'From the Join tap to a connected peer connection, as pages report it',
    buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 20],
    registers: [this.registry],
  });
  readonly openSockets = new Gauge({
    name: 'wwb_signaling_sockets',
    help: 'Open signaling sockets',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'wwb_' });
  }
}
