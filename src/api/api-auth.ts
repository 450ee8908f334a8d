import type { FastifyRequest } from 'fastify';
import type { Line } from '../config-lines.js';
import { AppError } from '../errors.js';
import { keyMatches, parseApiKey, type ApiKey, type ApiKeyStore, type ApiScope } from './api-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key the request was made with, once authenticated. */
    apiKey: ApiKey | undefined;
  }
}

/**
 * Finds the key of `Authorization: Bearer <key>`. Malformed, unknown and revoked keys get the same answer, in
 * about the same time, so that nothing is learnt about which keys exist.
 */
export async function authenticate(request: FastifyRequest, keys: ApiKeyStore): Promise<ApiKey> {
  const header = request.headers.authorization;
  if (header === undefined || header === '') throw new AppError('API_KEY_MISSING');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const presented = match === null ? undefined : parseApiKey(match[1] as string);
  const record = presented === undefined ? undefined : await keys.get(presented.id);
  if (record === undefined || presented === undefined || !keyMatches(record, presented.secret)) {
    throw new AppError('API_KEY_INVALID');
  }
  return record;
}

/** Refuses a key without `scope` (write includes read). */
export function requireScope(key: ApiKey, scope: ApiScope): void {
  if (!key.scopes.includes(scope) && !(scope === 'read' && key.scopes.includes('write'))) {
    throw new AppError('API_SCOPE_MISSING');
  }
}

/** The lines a key may see: those it is limited to that the service still serves, or all. */
export function linesOf(key: ApiKey, lines: readonly Line[]): Line[] {
  return key.lines === undefined ? [...lines] : lines.filter((line) => key.lines?.includes(line.id));
}

/** The line a request names (the first one the key may use by default); refused if the key may not use it. */
export function lineFor(key: ApiKey, lines: readonly [Line, ...Line[]], requested: string | undefined): Line {
  const allowed = linesOf(key, lines);
  if (requested === undefined) {
    const first = allowed[0];
    if (first === undefined) throw new AppError('API_LINE_FORBIDDEN');
    return first;
  }
  const line = lines.find((candidate) => candidate.id === requested);
  if (line === undefined) {
    throw new AppError('API_REQUEST_INVALID', `line: "${requested}" is not one of this service's lines.`);
  }
  if (!allowed.includes(line)) throw new AppError('API_LINE_FORBIDDEN');
  return line;
}
