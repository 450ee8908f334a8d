// Each entry moves the schema one version up; schema_migrations records how far a database has come. Times are
// milliseconds since 1970 (BIGINT), as in the SQLite schema; JSON keeps message bodies byte for byte.
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE rooms (
     id TEXT PRIMARY KEY,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL,
     seats JSON NOT NULL,
     inviter TEXT GENERATED ALWAYS AS (seats -> 0 ->> 'waId') STORED,
     invitee TEXT GENERATED ALWAYS AS (seats -> 1 ->> 'waId') STORED,
     seat0_joined_at BIGINT,
     seat1_joined_at BIGINT,
     nudged_at BIGINT
   );
   CREATE INDEX rooms_by_expiry ON rooms (expires_at);
   CREATE INDEX rooms_by_pair ON rooms (inviter, invitee, created_at);
   CREATE INDEX rooms_by_inviter ON rooms (inviter, created_at);
   CREATE INDEX rooms_by_invitee ON rooms (invitee, created_at);
   CREATE INDEX rooms_waiting ON rooms (expires_at) WHERE nudged_at IS NULL;

   CREATE TABLE people (
     id TEXT PRIMARY KEY,
     last_inbound_at BIGINT NOT NULL,
     language TEXT CHECK (language IN ('es', 'en'))
   );

   CREATE TABLE processed_messages (
     id TEXT PRIMARY KEY,
     processed_at BIGINT NOT NULL
   );
   CREATE INDEX processed_messages_by_age ON processed_messages (processed_at);

   CREATE TABLE outbox (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     room_id TEXT,
     recipient TEXT NOT NULL,
     payload JSON NOT NULL,
     context JSON,
     state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'unconfirmed', 'sent', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at BIGINT NOT NULL,
     claimed_by TEXT,
     wamid TEXT,
     last_error TEXT,
     delivery TEXT CHECK (delivery IN ('sent', 'delivered', 'read', 'failed')),
     delivery_error INTEGER,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL
   );
   CREATE INDEX outbox_by_wamid ON outbox (wamid);
   CREATE INDEX outbox_by_room ON outbox (room_id);
   CREATE INDEX outbox_due_in_order ON outbox (next_attempt_at, created_at)
     WHERE state IN ('pending', 'unconfirmed');
   CREATE INDEX outbox_sending ON outbox (claimed_by) WHERE state = 'sending';

   CREATE TABLE instances (
     id TEXT PRIMARY KEY,
     started_at BIGINT NOT NULL,
     heartbeat_at BIGINT NOT NULL,
     shared_live_state BOOLEAN NOT NULL
   );`,
  // The received message an outgoing one answers, marked read just before it is sent.
  `ALTER TABLE outbox ADD COLUMN answers TEXT;`,
  // Lines: what was there before belongs to the line of the single-number variables, "main". A window is a
  // person's on one line (people keyed by both); each line's worker takes its own due messages in order.
  `ALTER TABLE rooms ADD COLUMN line TEXT NOT NULL DEFAULT 'main';
   CREATE INDEX rooms_by_inviter_on_line ON rooms (line, inviter, created_at);
   ALTER TABLE outbox ADD COLUMN line TEXT NOT NULL DEFAULT 'main';
   CREATE INDEX outbox_due_by_line ON outbox (line, next_attempt_at, created_at)
     WHERE state IN ('pending', 'unconfirmed');
   ALTER TABLE people ADD COLUMN line TEXT NOT NULL DEFAULT 'main';
   ALTER TABLE people DROP CONSTRAINT people_pkey;
   ALTER TABLE people ADD PRIMARY KEY (line, id);
   ALTER TABLE people DROP CONSTRAINT people_language_check;
   ALTER TABLE people ADD CONSTRAINT people_language_check CHECK (language IN ('es', 'en', 'pt'));
   CREATE TABLE person_links (
     line TEXT NOT NULL,
     number TEXT NOT NULL,
     user_id TEXT NOT NULL,
     PRIMARY KEY (line, number)
   );
   CREATE INDEX person_links_by_user_id ON person_links (line, user_id);`,
  // The REST API: keys (a hash of each secret), calls it created (who, what they asked, whether cancelled), and
  // the answers to requests with an Idempotency-Key, kept a day so that a retry gets the same call.
  `CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     secret_hash TEXT NOT NULL,
     scopes JSON NOT NULL,
     lines JSON,
     created_at BIGINT NOT NULL,
     revoked_at BIGINT
   );
   ALTER TABLE rooms ADD COLUMN api_key_id TEXT;
   ALTER TABLE rooms ADD COLUMN details JSON;
   ALTER TABLE rooms ADD COLUMN cancelled_at BIGINT;
   CREATE INDEX rooms_by_line_in_order ON rooms (line, created_at, id);
   CREATE TABLE api_requests (
     key_id TEXT NOT NULL,
     idempotency_key TEXT NOT NULL,
     body_hash TEXT NOT NULL,
     answer JSON NOT NULL,
     created_at BIGINT NOT NULL,
     PRIMARY KEY (key_id, idempotency_key)
   );
   CREATE INDEX api_requests_by_age ON api_requests (created_at);`,
  // The operator's dashboard: the call history it reads, kept after rooms are purged; each call's timeline;
  // the operator's password hash and sessions. Rows arrive in order of creation, so a time range's rows lie
  // together.
  `CREATE TABLE call_history (
     room_id TEXT PRIMARY KEY,
     line TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL,
     source TEXT NOT NULL,
     host TEXT,
     guest TEXT,
     host_name TEXT,
     guest_name TEXT,
     reached_by TEXT NOT NULL,
     host_invitation TEXT,
     guest_invitation TEXT,
     failure_code INTEGER,
     host_joined_at BIGINT,
     guest_joined_at BIGINT,
     host_browser TEXT,
     host_platform TEXT,
     guest_browser TEXT,
     guest_platform TEXT,
     connected_at BIGINT,
     setup_ms INTEGER,
     path TEXT,
     ended_at BIGINT,
     ended_by TEXT,
     declined_at BIGINT,
     cancelled_at BIGINT
   );
   CREATE INDEX call_history_by_time ON call_history (created_at, room_id);
   CREATE INDEX call_history_live ON call_history (expires_at);
   CREATE TABLE call_events (
     room_id TEXT NOT NULL,
     id TEXT NOT NULL,
     at BIGINT NOT NULL,
     kind TEXT NOT NULL,
     data JSON NOT NULL,
     PRIMARY KEY (room_id, id)
   );
   -- Counts per line and hour of creation, kept with every change to a call: what the plots read. Each hour's
   -- counts are spread over a few slots (by call), so that concurrent changes to calls of the same hour do not
   -- all wait for one row's lock; the reads add the slots up.
   CREATE TABLE call_stats (
     hour BIGINT NOT NULL,
     line TEXT NOT NULL,
     slot INTEGER NOT NULL,
     created INTEGER NOT NULL DEFAULT 0,
     connected INTEGER NOT NULL DEFAULT 0,
     failed INTEGER NOT NULL DEFAULT 0,
     declined INTEGER NOT NULL DEFAULT 0,
     cancelled INTEGER NOT NULL DEFAULT 0,
     relayed INTEGER NOT NULL DEFAULT 0,
     invited INTEGER NOT NULL DEFAULT 0,
     sent INTEGER NOT NULL DEFAULT 0,
     delivered INTEGER NOT NULL DEFAULT 0,
     read INTEGER NOT NULL DEFAULT 0,
     joined INTEGER NOT NULL DEFAULT 0,
     setup_0 INTEGER NOT NULL DEFAULT 0,
     setup_1 INTEGER NOT NULL DEFAULT 0,
     setup_2 INTEGER NOT NULL DEFAULT 0,
     setup_3 INTEGER NOT NULL DEFAULT 0,
     setup_4 INTEGER NOT NULL DEFAULT 0,
     setup_5 INTEGER NOT NULL DEFAULT 0,
     setup_6 INTEGER NOT NULL DEFAULT 0,
     duration_0 INTEGER NOT NULL DEFAULT 0,
     duration_1 INTEGER NOT NULL DEFAULT 0,
     duration_2 INTEGER NOT NULL DEFAULT 0,
     duration_3 INTEGER NOT NULL DEFAULT 0,
     duration_4 INTEGER NOT NULL DEFAULT 0,
     duration_5 INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (hour, line, slot)
   );
   CREATE TABLE call_failures (
     hour BIGINT NOT NULL,
     line TEXT NOT NULL,
     slot INTEGER NOT NULL,
     code INTEGER NOT NULL,
     calls INTEGER NOT NULL,
     PRIMARY KEY (hour, line, slot, code)
   );
   CREATE TABLE call_agents (
     hour BIGINT NOT NULL,
     line TEXT NOT NULL,
     slot INTEGER NOT NULL,
     browser TEXT NOT NULL,
     platform TEXT NOT NULL,
     people INTEGER NOT NULL,
     PRIMARY KEY (hour, line, slot, browser, platform)
   );
   CREATE TABLE operator_password (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     hash TEXT NOT NULL,
     updated_at BIGINT NOT NULL
   );
   CREATE TABLE operator_sessions (
     token_hash TEXT PRIMARY KEY,
     csrf_token TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL
   );`,
  // Booked calls: when each starts, when its reminder went out, and its two links (the reminders carry them;
  // like the outbox's messages, they are kept until the room is purged). Every call: when someone first hung
  // up, and when the inviter was told how it went.
  `ALTER TABLE rooms ADD COLUMN starts_at BIGINT;
   ALTER TABLE rooms ADD COLUMN reminded_at BIGINT;
   ALTER TABLE rooms ADD COLUMN summarized_at BIGINT;
   ALTER TABLE rooms ADD COLUMN links JSON;
   ALTER TABLE rooms ADD COLUMN ended_at BIGINT;
   CREATE INDEX rooms_to_remind ON rooms (starts_at) WHERE starts_at IS NOT NULL AND reminded_at IS NULL;`,
];
