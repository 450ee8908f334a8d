import { after, before } from 'node:test';
import { startPostgres, type PostgresServer } from './postgres-server.js';
import { startRedis, type RedisServer } from './redis-server.js';

/**
 * A PostgreSQL and a Redis server for one test file: started before its tests, stopped after them. `ready()`
 * resolves once both answer, for a file's own `before` hook (top-level hooks may run side by side).
 */
export function scaleOutServers(): {
  postgres: () => PostgresServer;
  redis: () => RedisServer;
  ready: () => Promise<void>;
} {
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  let starting: Promise<void> | undefined;
  const start = () =>
    (starting ??= Promise.all([startPostgres(), startRedis()]).then(([p, r]) => {
      [postgres, redis] = [p, r];
    }));
  before(start);
  after(async () => {
    await Promise.all([postgres?.close(), redis?.stop()]);
  });
  const started = <T>(server: T | undefined): T => {
    if (server === undefined) throw new Error('the servers start before the tests');
    return server;
  };
  return { postgres: () => started(postgres), redis: () => started(redis), ready: start };
}
