import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WalCheckpointer, type CheckpointResult } from './wal-checkpointer.js';

/** The SQLite connection every SQLite adapter shares. */
export type SqliteDatabase = Database.Database;

// Each entry moves the schema one version up; PRAGMA user_version records how far a file has come.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE rooms (
     id TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     seats TEXT NOT NULL
   ) STRICT;
   CREATE INDEX rooms_by_expiry ON rooms (expires_at);
   CREATE INDEX rooms_by_inviter ON rooms (json_extract(seats, '$[0].waId'), created_at);

   CREATE TABLE people (
     id TEXT PRIMARY KEY,
     last_inbound_at INTEGER NOT NULL
   ) STRICT;

   CREATE TABLE processed_messages (
     id TEXT PRIMARY KEY,
     processed_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX processed_messages_by_age ON processed_messages (processed_at);

   CREATE TABLE outbox (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     room_id TEXT,
     recipient TEXT NOT NULL,
     payload TEXT NOT NULL,
     context TEXT,
     state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'unconfirmed', 'sent', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     wamid TEXT,
     last_error TEXT,
     delivery TEXT CHECK (delivery IN ('sent', 'delivered', 'read', 'failed')),
     delivery_error INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX outbox_by_wamid ON outbox (wamid);
   CREATE INDEX outbox_by_room ON outbox (room_id);
   CREATE INDEX outbox_due ON outbox (state, next_attempt_at);`,
  `ALTER TABLE rooms ADD COLUMN seat0_joined_at INTEGER;
   ALTER TABLE rooms ADD COLUMN seat1_joined_at INTEGER;
   ALTER TABLE rooms ADD COLUMN nudged_at INTEGER;
   CREATE INDEX rooms_by_invitee ON rooms (json_extract(seats, '$[1].waId'), created_at);
   CREATE INDEX rooms_by_pair ON rooms (json_extract(seats, '$[0].waId'), json_extract(seats, '$[1].waId'), created_at);
   ALTER TABLE people ADD COLUMN language TEXT CHECK (language IN ('es', 'en'));`,
  // The worker takes the oldest due messages: in index order, stopping at its limit, however long the backlog
  // (sorting every due message for each claim made a backlog slow itself down).
  `CREATE INDEX outbox_due_in_order ON outbox (next_attempt_at, created_at)
     WHERE state IN ('pending', 'unconfirmed');`,
  // The received message an outgoing one answers, marked read just before it is sent.
  `ALTER TABLE outbox ADD COLUMN answers TEXT;`,
  // Lines: what was there before belongs to the line of the single-number variables, "main". A window is a
  // person's on one line (people keyed by both); each line's worker takes its own due messages in order.
  `ALTER TABLE rooms ADD COLUMN line TEXT NOT NULL DEFAULT 'main';
   ALTER TABLE outbox ADD COLUMN line TEXT NOT NULL DEFAULT 'main';
   CREATE INDEX outbox_due_by_line ON outbox (line, next_attempt_at, created_at)
     WHERE state IN ('pending', 'unconfirmed');
   CREATE TABLE people_by_line (
     line TEXT NOT NULL,
     id TEXT NOT NULL,
     last_inbound_at INTEGER NOT NULL,
     language TEXT CHECK (language IN ('es', 'en', 'pt')),
     PRIMARY KEY (line, id)
   ) STRICT;
   INSERT INTO people_by_line (line, id, last_inbound_at, language)
     SELECT 'main', id, last_inbound_at, language FROM people;
   DROP TABLE people;
   ALTER TABLE people_by_line RENAME TO people;
   CREATE TABLE person_links (
     line TEXT NOT NULL,
     number TEXT NOT NULL,
     user_id TEXT NOT NULL,
     PRIMARY KEY (line, number)
   ) STRICT;
   CREATE INDEX person_links_by_user_id ON person_links (line, user_id);`,
  // The REST API: keys (a hash of each secret), calls it created (who, what they asked, whether cancelled), and
  // the answers to requests with an Idempotency-Key, kept a day so that a retry gets the same call.
  `CREATE TABLE api_keys (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     secret_hash TEXT NOT NULL,
     scopes TEXT NOT NULL,
     lines TEXT,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER
   ) STRICT;
   ALTER TABLE rooms ADD COLUMN api_key_id TEXT;
   ALTER TABLE rooms ADD COLUMN details TEXT;
   ALTER TABLE rooms ADD COLUMN cancelled_at INTEGER;
   CREATE INDEX rooms_by_line_in_order ON rooms (line, created_at, id);
   CREATE TABLE api_requests (
     key_id TEXT NOT NULL,
     idempotency_key TEXT NOT NULL,
     body_hash TEXT NOT NULL,
     answer TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (key_id, idempotency_key)
   ) STRICT;
   CREATE INDEX api_requests_by_age ON api_requests (created_at);`,
  // The operator's dashboard: the call history it reads, kept after rooms are purged, stored in order of
  // creation (it reads time ranges) and found by room for updates; each call's timeline; the operator's
  // password hash and sessions. Every index here is written with each new call: there are as few as the reads
  // need (a line's recent calls are read in the order of creation, skipping other lines' calls).
  `CREATE TABLE call_history (
     created_at INTEGER NOT NULL,
     room_id TEXT NOT NULL,
     line TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     source TEXT NOT NULL,
     host TEXT,
     guest TEXT,
     host_name TEXT,
     guest_name TEXT,
     reached_by TEXT NOT NULL,
     host_invitation TEXT,
     guest_invitation TEXT,
     failure_code INTEGER,
     host_joined_at INTEGER,
     guest_joined_at INTEGER,
     host_browser TEXT,
     host_platform TEXT,
     guest_browser TEXT,
     guest_platform TEXT,
     connected_at INTEGER,
     setup_ms INTEGER,
     path TEXT,
     ended_at INTEGER,
     ended_by TEXT,
     declined_at INTEGER,
     cancelled_at INTEGER,
     PRIMARY KEY (created_at, room_id)
   ) STRICT, WITHOUT ROWID;
   CREATE UNIQUE INDEX call_history_by_room ON call_history (room_id);
   CREATE INDEX call_history_live ON call_history (expires_at);
   CREATE TABLE call_events (
     room_id TEXT NOT NULL,
     id TEXT NOT NULL,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (room_id, id)
   ) STRICT, WITHOUT ROWID;
   -- Counts per line and hour of creation, kept with every change to a call: what the plots read. Each hour's
   -- counts are spread over a few slots (by call), so that concurrent changes to calls of the same hour do not
   -- all wait for one row's lock; the reads add the slots up.
   CREATE TABLE call_stats (
     hour INTEGER NOT NULL,
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
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE call_failures (
     hour INTEGER NOT NULL,
     line TEXT NOT NULL,
     slot INTEGER NOT NULL,
     code INTEGER NOT NULL,
     calls INTEGER NOT NULL,
     PRIMARY KEY (hour, line, slot, code)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE call_agents (
     hour INTEGER NOT NULL,
     line TEXT NOT NULL,
     slot INTEGER NOT NULL,
     browser TEXT NOT NULL,
     platform TEXT NOT NULL,
     people INTEGER NOT NULL,
     PRIMARY KEY (hour, line, slot, browser, platform)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE operator_password (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     hash TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE operator_sessions (
     token_hash TEXT PRIMARY KEY,
     csrf_token TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   ) STRICT;`,
  // Booked calls: when each starts, when its reminder went out, and its two links (the reminders carry them;
  // like the outbox's messages, they are kept until the room is purged). Every call: when someone first hung
  // up, and when the inviter was told how it went.
  `ALTER TABLE rooms ADD COLUMN starts_at INTEGER;
   ALTER TABLE rooms ADD COLUMN reminded_at INTEGER;
   ALTER TABLE rooms ADD COLUMN summarized_at INTEGER;
   ALTER TABLE rooms ADD COLUMN links TEXT;
   ALTER TABLE rooms ADD COLUMN ended_at INTEGER;
   CREATE INDEX rooms_to_remind ON rooms (starts_at) WHERE starts_at IS NOT NULL AND reminded_at IS NULL;`,
];

/** An open database, and how to close it (its checkpointer first). */
export interface OpenDatabase {
  readonly db: SqliteDatabase;
  readonly close: () => Promise<void>;
}

/**
 * Opens (creating if needed) the database file in `dataDir`, in WAL mode, and brings its schema up to date.
 * Checkpoints run in a worker thread (WalCheckpointer), never inside a commit on the event loop. `dataDir`
 * ':memory:' gives a private in-memory database, for tests.
 */
export function openDatabase(
  dataDir: string,
  onCheckpoint?: (result: CheckpointResult | { error: string }) => void,
): OpenDatabase {
  if (dataDir === ':memory:') {
    const db = new Database(':memory:');
    migrate(db);
    return {
      db,
      close: () => {
        db.close();
        return Promise.resolve();
      },
    };
  }
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'whatsapp-webrtc-bot.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('wal_autocheckpoint = 0');
  migrate(db);
  const checkpointer = new WalCheckpointer(file, onCheckpoint);
  return {
    db,
    close: async () => {
      await checkpointer.stop();
      db.close();
    },
  };
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `Database schema version ${current} is newer than this release knows (${MIGRATIONS.length})`,
    );
  }
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version] as string);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
