import { after, before } from 'node:test';
import { startPostgres, type PostgresServer } from './postgres-server.js';
import { startRedis, type RedisServer } from './redis-server.js';

/** A PostgreSQL and a Redis server for one test file: started before its tests, stopped after them. */
export function scaleOutServers(): { postgres: () => PostgresServer; redis: () => RedisServer } {
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  before(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  });
  after(async () => {
    await Promise.all([postgres?.close(), redis?.stop()]);
  });
  const started = <T>(server: T | undefined): T => {
    if (server === undefined) throw new Error('the servers start before the tests');
    return server;
  };
  return { postgres: () => started(postgres), redis: () => started(redis) };
}
