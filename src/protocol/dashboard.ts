// What the operator's dashboard page and the server say to each other (the JSON under /admin/api/), and the
// few facts both need. The page imports only types and constants from here.

/** Upper edges of the call-setup histogram's bars, in milliseconds; the last bar is everything slower. */
export const SETUP_EDGES_MS = [1_000, 2_000, 3_000, 5_000, 10_000, 20_000] as const;
/** Upper edges of the call-duration histogram's bars, in milliseconds. */
export const DURATION_EDGES_MS = [60_000, 300_000, 900_000, 1_800_000, 3_600_000] as const;

/** Why WhatsApp did not deliver an invitation, in the words a person can act on. */
export type UndeliveredReason = 'window' | 'not-on-whatsapp' | 'not-allowed' | 'other';

/** What a Graph API error code means for the person who sent the invitation. */
export function undeliveredReason(code: number | null | undefined): UndeliveredReason {
  switch (code) {
    case 131047:
      return 'window';
    case 131026:
      return 'not-on-whatsapp';
    case 131030:
      return 'not-allowed';
    default:
      return 'other';
  }
}

export type Participant = 'host' | 'guest';

/** How the invited person got their link: a button message, an approved template, or the inviter's forward. */
export type ReachedBy = 'button' | 'template' | 'link' | 'not-sent';

/** Where the call was asked for. */
export type CallSource = 'whatsapp' | 'api';

/** Where a call stands, as the dashboard shows it. */
export type CallStatus =
  'invited' | 'waiting' | 'in-call' | 'ended' | 'failed' | 'declined' | 'cancelled' | 'missed';

/** A call of the history, as the dashboard and its CSV show it (masked numbers only). */
export interface CallRow {
  readonly id: string;
  readonly line: string;
  readonly status: CallStatus;
  readonly source: CallSource;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  readonly host: string | null;
  readonly guest: string | null;
  readonly hostName: string | null;
  readonly guestName: string | null;
  readonly reachedBy: ReachedBy;
  readonly invitations: Readonly<Record<Participant, string | null>>;
  readonly failureCode: number | null;
  readonly joinedAtMs: Readonly<Record<Participant, number | null>>;
  readonly agents: Readonly<Record<Participant, { browser: string; platform: string } | null>>;
  readonly connectedAtMs: number | null;
  readonly setupMs: number | null;
  readonly path: 'direct' | 'relay' | null;
  readonly endedAtMs: number | null;
  /** 'host' or 'guest' who hung up, or 'lost' when a connection dropped. */
  readonly endedBy: string | null;
  readonly durationMs: number | null;
  readonly declinedAtMs: number | null;
  readonly cancelledAtMs: number | null;
}

/** What is going on now, on one line. */
export interface LineNow {
  readonly line: string;
  readonly waiting: number;
  readonly inCall: number;
  readonly relayed: number;
  readonly backlog: number;
}

/** The figures of a range, for the dashboard's plots. */
export interface CallStats {
  readonly series: readonly {
    readonly startMs: number;
    readonly created: number;
    readonly connected: number;
    readonly failed: number;
  }[];
  readonly totals: Readonly<
    Record<'created' | 'connected' | 'failed' | 'declined' | 'cancelled' | 'relayed', number>
  >;
  readonly funnel: Readonly<Record<'invited' | 'sent' | 'delivered' | 'read' | 'joined', number>>;
  /** Calls per bar of the histograms (SETUP_EDGES_MS, DURATION_EDGES_MS, the last bar open-ended). */
  readonly setup: readonly number[];
  readonly duration: readonly number[];
  readonly failures: readonly { readonly code: number; readonly calls: number }[];
  readonly agents: readonly {
    readonly browser: string;
    readonly platform: string;
    readonly people: number;
  }[];
}

/** `GET /admin/api/stats`: a range's figures, with the range and the length of the plot's bars. */
export interface StatsAnswer extends CallStats {
  readonly from: string;
  readonly to: string;
  readonly bucketMs: number;
}

/** One entry of a call's timeline. */
export interface TimelineEntry {
  readonly atMs: number;
  readonly kind: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** `GET /admin/api/session`. */
export interface SessionAnswer {
  readonly signedIn: boolean;
  readonly passwordSet: boolean;
  readonly sandbox: boolean;
  readonly csrfToken?: string;
  readonly expiresAt?: string;
  readonly lines?: readonly { readonly id: string; readonly name: string }[];
}

/** The ranges the dashboard offers, in the operator's own days. */
export const DASHBOARD_RANGES = ['today', '7d', '30d'] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];
