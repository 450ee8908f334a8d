import { parseArgs } from 'node:util';
import type { Line } from '../config-lines.js';
import { API_SCOPES, apiKeyNameSchema, createApiKey, type ApiKeyStore, type ApiScope } from './api-keys.js';

// `npm run keys -- create --name crm [--scope read] [--line norte]…`, `… list`, `… revoke <id>`: API keys from
// the command line. A new key is printed once; only its hash is kept.

export const KEYS_USAGE = `Usage:
  npm run keys -- create --name <name> [--scope read|write] [--line <line id>]...
  npm run keys -- list
  npm run keys -- revoke <key id>`;

/** What the command printed, and its exit status. */
export interface CommandResult {
  readonly status: number;
  readonly output: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());

/** Runs the keys command with `args` (after `--`) against `keys`. */
export async function runKeysCommand(
  args: readonly string[],
  context: { keys: ApiKeyStore; lines: readonly Line[]; nowMs: number },
): Promise<CommandResult> {
  const [command, ...rest] = args;
  const fail = (message: string): CommandResult => ({ status: 64, output: `${message}\n${KEYS_USAGE}` });
  try {
    if (command === 'create') {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          scope: { type: 'string', default: 'write' },
          line: { type: 'string', multiple: true },
        },
        strict: true,
      });
      const name = apiKeyNameSchema.safeParse(values.name ?? '');
      if (!name.success) return fail(`--name: ${name.error.issues[0]?.message ?? 'is required'}`);
      if (!(API_SCOPES as readonly string[]).includes(values.scope)) return fail('--scope: read or write');
      const unknown = (values.line ?? []).filter((id) => !context.lines.some((line) => line.id === id));
      if (unknown.length > 0) return fail(`--line: not a line of this service: ${unknown.join(', ')}`);
      const { record, key } = createApiKey({
        name: name.data,
        scopes: [values.scope as ApiScope],
        lines: values.line,
        nowMs: context.nowMs,
      });
      await context.keys.insert(record);
      return {
        status: 0,
        output:
          `Key ${record.id} (${record.name}, ${record.scopes.join(', ')}, lines: ${record.lines?.join(', ') ?? 'all'}):\n` +
          `${key}\n` +
          'It is shown only now: keep it where your system keeps secrets.',
      };
    }
    if (command === 'list') {
      const lines = (await context.keys.list()).map(
        (key) =>
          `${key.id}  ${key.name}  ${key.scopes.join(',')}  lines: ${key.lines?.join(',') ?? 'all'}  ` +
          `created ${iso(key.createdAtMs)}  revoked ${iso(key.revokedAtMs)}`,
      );
      return { status: 0, output: lines.length === 0 ? 'No keys.' : lines.join('\n') };
    }
    if (command === 'revoke') {
      const [id] = rest;
      if (id === undefined) return fail('revoke: which key id?');
      return (await context.keys.revoke(id, context.nowMs))
        ? { status: 0, output: `Key ${id} revoked: it opens nothing from now on.` }
        : { status: 1, output: `No active key ${id}.` };
    }
    return fail(command === undefined ? 'Which command?' : `Unknown command: ${command}`);
  } catch (error) {
    if (error instanceof TypeError) return fail(error.message);
    throw error;
  }
}
