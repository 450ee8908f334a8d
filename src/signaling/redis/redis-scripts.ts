import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Lua source → the command name it is defined under (one per script, whatever the connection). */
const names = new Map<string, string>();
const defined = new WeakMap<Redis, Set<string>>();

/**
 * Runs a Lua script on its keys (one key, or a list: a given script always gets the same number). ioredis's defineCommand sends the script's text once per connection and its
 * SHA (EVALSHA) after that, reloading it if Redis lost it (a restart): a relayed frame carries its bytes, not
 * the script's.
 */
export function runScript(
  redis: Redis,
  lua: string,
  keys: string | readonly string[],
  ...args: (string | number)[]
): Promise<unknown> {
  let name = names.get(lua);
  if (name === undefined) {
    name = `wwb${createHash('sha1').update(lua).digest('hex').slice(0, 16)}`;
    names.set(lua, name);
  }
  let mine = defined.get(redis);
  if (mine === undefined) defined.set(redis, (mine = new Set()));
  const keyList = typeof keys === 'string' ? [keys] : keys;
  if (!mine.has(name)) {
    redis.defineCommand(name, { numberOfKeys: keyList.length, lua });
    mine.add(name);
  }
  const command = (redis as unknown as Record<string, (...values: (string | number)[]) => Promise<unknown>>)[
    name
  ] as (...values: (string | number)[]) => Promise<unknown>;
  return command.call(redis, ...keyList, ...args);
}
