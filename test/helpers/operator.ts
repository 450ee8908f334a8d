import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { runOperatorCommand } from '../../src/admin/operator-command.js';

// The dashboard's operator in tests: a password set as `npm run operator -- set-password` sets it, and a
// signed-in session.

export const PASSWORD = 'correct horse battery staple';

export async function setPassword(app: FastifyInstance, password = PASSWORD) {
  const result = await runOperatorCommand(['set-password'], {
    store: app.storage.operator,
    input: { interactive: false, read: () => Promise.resolve(password) },
    nowMs: Date.now(),
  });
  assert.equal(result.status, 0, result.output);
}

export async function signIn(
  app: FastifyInstance,
  password = PASSWORD,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/admin/api/login',
    headers: { origin: 'http://127.0.0.1:8000', ...headers },
    payload: { password },
  });
}

/** A signed-in operator: the cookie to send and the session's CSRF token. */
export async function operator(app: FastifyInstance): Promise<{ cookie: string; csrfToken: string }> {
  await setPassword(app);
  const response = await signIn(app);
  assert.equal(response.statusCode, 200, response.body);
  const cookie = response.cookies.find((c) => c.name === 'wwb_operator');
  assert.ok(cookie);
  return {
    cookie: `wwb_operator=${cookie.value}`,
    csrfToken: response.json<{ csrfToken: string }>().csrfToken,
  };
}
