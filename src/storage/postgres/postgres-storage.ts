import { randomUUID } from 'node:crypto';
import { PostgresDatabase } from './postgres-database.js';
import { PostgresJobLock } from './postgres-job-lock.js';
import { InstanceRegistration } from './postgres-instances.js';
import { PostgresMessageLedger } from './postgres-message-ledger.js';
import { PostgresOutbox } from './postgres-outbox.js';
import { PostgresPeopleStore } from './postgres-people-store.js';
import { PostgresRoomStore } from './postgres-room-store.js';
import { PostgresApiKeyStore } from './postgres-api-key-store.js';
import { SqlCallHistory } from '../../history/sql-call-history.js';
import { OperatorStore } from '../../admin/operator-store.js';
import { postgresSqlRunner } from './postgres-sql-runner.js';

/** The durable stores on PostgreSQL (storage.ts's Storage, which this folder does not import). */
export interface PostgresStorage {
  readonly rooms: PostgresRoomStore;
  readonly outbox: PostgresOutbox;
  readonly people: PostgresPeopleStore;
  readonly apiKeys: PostgresApiKeyStore;
  readonly ledger: PostgresMessageLedger;
  readonly history: SqlCallHistory;
  readonly operator: OperatorStore;
  exclusively: PostgresJobLock['exclusively'];
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every durable store on one PostgreSQL database. With `instance`, the process registers itself among the
 * instances sharing the database (and is refused if it may not join them); tests of the stores alone omit it.
 */
export async function openPostgresStorage(options: {
  readonly url: string;
  readonly instance?: { readonly sharedLiveState: boolean; readonly now: () => number } | undefined;
  readonly onError?: ((message: string) => void) | undefined;
}): Promise<PostgresStorage> {
  const onError = options.onError ?? (() => undefined);
  const db = await PostgresDatabase.open(options.url, { onError });
  const id = randomUUID();
  let registration: InstanceRegistration | undefined;
  if (options.instance !== undefined) {
    try {
      registration = await InstanceRegistration.register(db, { id, ...options.instance, onError });
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  const rooms = new PostgresRoomStore(db);
  const outbox = new PostgresOutbox(db, id);
  const people = new PostgresPeopleStore(db);
  const jobs = new PostgresJobLock(db);
  const shared = postgresSqlRunner(db);
  return {
    rooms,
    outbox,
    people,
    apiKeys: new PostgresApiKeyStore(db),
    ledger: new PostgresMessageLedger(db),
    history: new SqlCallHistory(shared),
    operator: new OperatorStore(shared),
    exclusively: jobs.exclusively.bind(jobs),
    ping: async () => {
      await db.query('SELECT 1');
    },
    close: async () => {
      await registration?.close();
      await db.close();
    },
  };
}
