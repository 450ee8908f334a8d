import type { RoomStore } from '../rooms/room-store.js';
import { SqliteRoomStore } from './sqlite/sqlite-room-store.js';
import type { MessageLedger } from '../calls/message-ledger.js';
import { InProcessJobLock, type JobLock } from '../calls/periodic-jobs.js';
import type { Outbox } from '../whatsapp/outbox/outbox.js';
import { RedisSendBudget } from '../whatsapp/outbox/redis-send-budget.js';
import type { SendBudget } from '../whatsapp/outbox/send-budget.js';
import { SqliteMessageLedger } from './sqlite/sqlite-message-ledger.js';
import type { PeopleStore } from '../whatsapp/invitations/people.js';
import type { ApiKeyStore } from '../api/api-keys.js';
import { SqliteApiKeyStore } from './sqlite/sqlite-api-key-store.js';
import { SqliteOutbox } from './sqlite/sqlite-outbox.js';
import { SqlCallHistory } from '../history/sql-call-history.js';
import { OperatorStore } from '../admin/operator-store.js';
import { sqliteExecutor, sqliteSqlRunner } from './sqlite/sqlite-sql-runner.js';
import { SqlitePeopleStore } from './sqlite/sqlite-people-store.js';
import { InProcessSignalBus } from '../signaling/in-process/in-process-signal-bus.js';
import { InProcessSignalingHub } from '../signaling/in-process/in-process-signaling-hub.js';
import type { SignalBus } from '../signaling/signal-bus.js';
import type { SignalingHub } from '../signaling/signaling-hub.js';
import { RedisConnections } from '../signaling/redis/redis-live-state.js';
import type { Redis } from 'ioredis';
import { RedisSignalBus } from '../signaling/redis/redis-signal-bus.js';
import { RedisSignalingHub } from '../signaling/redis/redis-signaling-hub.js';
import { openDatabase } from './sqlite/sqlite-database.js';
import { openPostgresStorage } from './postgres/postgres-storage.js';
import { INSTANCE_HEARTBEAT_MS } from './postgres/postgres-instances.js';

export { InstanceConflictError } from './postgres/postgres-instances.js';

/** With storage shared by several instances, how often each looks for a dead one's interrupted sends. */
export const SHARED_RECOVERY_INTERVAL_MS = INSTANCE_HEARTBEAT_MS;

/** Every piece of state the service keeps, behind the interfaces the domain uses. */
export interface Storage extends JobLock {
  readonly rooms: RoomStore;
  readonly outbox: Outbox;
  readonly ledger: MessageLedger;
  readonly people: PeopleStore;
  readonly apiKeys: ApiKeyStore;
  /** Every call's history, for the operator's dashboard. */
  readonly history: SqlCallHistory;
  /** The operator's password and sessions. */
  readonly operator: OperatorStore;
  /** Resolves when the backing store answers; for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The one place that chooses a storage backend: PostgreSQL at `databaseUrl`, shared with other instances, or
 * else SQLite in `dataDir` (one process). `sharedLiveState` says whether this instance's live state is shared
 * too (Redis): a second instance is refused without it.
 */
export function openStorage(options: {
  dataDir: string;
  databaseUrl: string | undefined;
  sharedLiveState: boolean;
  now: () => number;
  onError?: (message: string) => void;
  /** False for a command-line tool beside the service: it does not register as an instance. */
  register?: boolean;
}): Promise<Storage> {
  if (options.databaseUrl === undefined) return Promise.resolve(createStorage(options));
  return openPostgresStorage({
    url: options.databaseUrl,
    instance:
      options.register === false ? undefined : { sharedLiveState: options.sharedLiveState, now: options.now },
    onError: options.onError,
  });
}

/**
 * SQLite in `dataDir` (':memory:' for tests). `onError` hears of failures in the background (a checkpoint that
 * could not run).
 */
export function createStorage(options: { dataDir: string; onError?: (message: string) => void }): Storage {
  const { db, close } = openDatabase(options.dataDir, (result) => {
    if ('error' in result) options.onError?.(`SQLite checkpoint failed: ${result.error}`);
  });
  const rooms = new SqliteRoomStore(db);
  const outbox = new SqliteOutbox(db);
  const people = new SqlitePeopleStore(db);
  const apiKeys = new SqliteApiKeyStore(db);
  const jobs = new InProcessJobLock();
  const shared = sqliteSqlRunner(db);
  return {
    rooms,
    outbox,
    people,
    apiKeys,
    history: new SqlCallHistory(shared),
    operator: new OperatorStore(shared),
    ledger: new SqliteMessageLedger(db, rooms, outbox, people, apiKeys, sqliteExecutor(db)),
    // One process owns the file: a lock in memory is enough.
    exclusively: jobs.exclusively.bind(jobs),
    ping: () => {
      db.prepare('SELECT 1').get();
      return Promise.resolve();
    },
    close,
  };
}

/** The live side of rooms: seat presence and the bus that carries frames between seats. */
export interface LiveState {
  readonly hub: SignalingHub;
  readonly bus: SignalBus;
  /** The business number's send budget, shared by every instance; absent for one process (it keeps its own). */
  readonly sendBudget?: (phoneNumberId: string, perSecond: number) => SendBudget;
  /** A Redis connection for counters every instance shares (the API's rate limits); absent for one process. */
  readonly sharedCounters?: Redis;
}

/** The one place that chooses a live-state backend: this process's memory (one instance). */
export function createLiveState(): LiveState {
  return { hub: new InProcessSignalingHub(), bus: new InProcessSignalBus() };
}

/** Live state in Redis at `redisUrl`, shared by every instance; this process's memory without it. */
export async function openLiveState(options: {
  redisUrl: string | undefined;
  onError?: (message: string) => void;
}): Promise<LiveState> {
  if (options.redisUrl === undefined) return createLiveState();
  const redis = await RedisConnections.open(options.redisUrl, options.onError);
  return {
    hub: new RedisSignalingHub(redis, undefined, options.onError),
    bus: new RedisSignalBus(redis, options.onError),
    sendBudget: (phoneNumberId, perSecond) => new RedisSendBudget(redis.commands, phoneNumberId, perSecond),
    sharedCounters: redis.commands,
  };
}
