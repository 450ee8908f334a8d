import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { operator, PASSWORD, setPassword, signIn } from '../helpers/operator.js';
import { startApp, testConfig } from '../helpers/test-app.js';

// The operator's dashboard: never open without a password; sign-in, its rate limit, CSRF, sign-out.

const code = (response: { json: <T>() => T }) => response.json<{ code: string }>().code;

async function start(t: TestContext, env: Record<string, string> = {}) {
  return startApp(t, testConfig(env));
}

describe('the operator dashboard’s sign-in', () => {
  it('sends a visitor without a session to the sign-in page and refuses every figure', async (t) => {
    const app = await start(t);
    const page = await app.inject({ url: '/admin' });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/admin/login');
    const login = await app.inject({ url: '/admin/login' });
    assert.equal(login.statusCode, 200);
    assert.match(login.body, /data-view="login"/);
    for (const url of ['/admin/api/now', '/admin/api/stats', '/admin/api/calls', '/admin/api/calls.csv']) {
      const response = await app.inject({ url });
      assert.equal(response.statusCode, 401, url);
      assert.equal(code(response), 'ADMIN_SIGN_IN_REQUIRED');
    }
    const bogus = await app.inject({ url: '/admin/api/now', cookies: { wwb_operator: 'not-a-session' } });
    assert.equal(bogus.statusCode, 401);
  });

  it('is never open by default: without a password nobody signs in, and the page says how to set one', async (t) => {
    const app = await start(t);
    const session = (await app.inject({ url: '/admin/api/session' })).json();
    assert.deepEqual(session, { signedIn: false, passwordSet: false, sandbox: true });
    const response = await signIn(app, 'anything at all');
    assert.equal(response.statusCode, 409);
    assert.equal(code(response), 'ADMIN_PASSWORD_NOT_SET');
  });

  it('refuses a wrong password, signs in with the right one into an HttpOnly, SameSite cookie', async (t) => {
    const app = await start(t);
    await setPassword(app);
    const wrong = await signIn(app, 'correct horse battery stapler');
    assert.equal(wrong.statusCode, 401);
    assert.equal(code(wrong), 'ADMIN_LOGIN_FAILED');
    assert.equal(wrong.cookies.length, 0);
    const right = await signIn(app);
    assert.equal(right.statusCode, 200);
    const cookie = right.cookies.find((c) => c.name === 'wwb_operator');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.path, '/admin');
    assert.equal(cookie.secure, undefined, 'plain http in this test');
    const page = await app.inject({ url: '/admin', cookies: { wwb_operator: cookie.value } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-view="dashboard"/);
    assert.equal(page.headers['cache-control'], 'no-store');
    const session = (
      await app.inject({ url: '/admin/api/session', cookies: { wwb_operator: cookie.value } })
    ).json<{
      signedIn: boolean;
      csrfToken: string;
      lines: unknown;
    }>();
    assert.equal(session.signedIn, true);
    assert.equal(session.csrfToken, right.json<{ csrfToken: string }>().csrfToken);
    assert.deepEqual(session.lines, [{ id: 'main', name: 'main' }]);
  });

  it('marks the cookie Secure when the service is reached over https', async (t) => {
    const app = await start(t, { PUBLIC_BASE_URL: 'https://video.example.com' });
    await setPassword(app);
    const response = await signIn(app, PASSWORD, { origin: 'https://video.example.com' });
    assert.equal(response.cookies[0]?.secure, true);
  });

  it('refuses a sign-in posted from another site, and sign-out without the session’s CSRF token', async (t) => {
    const app = await start(t);
    const { cookie, csrfToken } = await operator(app);
    const forged = await signIn(app, PASSWORD, { origin: 'https://evil.example' });
    assert.equal(forged.statusCode, 403);
    assert.equal(code(forged), 'ADMIN_CSRF_FAILED');
    for (const token of [undefined, 'x'.repeat(csrfToken.length), 'short']) {
      const response = await app.inject({
        method: 'POST',
        url: '/admin/api/logout',
        headers: { cookie, ...(token !== undefined && { 'x-csrf-token': token }) },
      });
      assert.equal(response.statusCode, 403);
      assert.equal(code(response), 'ADMIN_CSRF_FAILED');
    }
    assert.equal((await app.inject({ url: '/admin/api/now', headers: { cookie } })).statusCode, 200);
    const out = await app.inject({
      method: 'POST',
      url: '/admin/api/logout',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /wwb_operator=;/);
    const after = await app.inject({ url: '/admin/api/now', headers: { cookie } });
    assert.equal(after.statusCode, 401, 'the session is gone on the server, not only in the browser');
  });

  it('signs every session out when a new password is set', async (t) => {
    const app = await start(t);
    const { cookie } = await operator(app);
    await setPassword(app, 'another long passphrase');
    assert.equal((await app.inject({ url: '/admin/api/now', headers: { cookie } })).statusCode, 401);
    assert.equal((await signIn(app)).statusCode, 401, 'the old password no longer works');
  });

  it('limits sign-in attempts from one address, with Retry-After', async (t) => {
    const app = await start(t);
    await setPassword(app);
    for (let attempt = 1; attempt <= 10; attempt++) {
      assert.equal((await signIn(app, `wrong password ${attempt}`)).statusCode, 401);
    }
    const limited = await signIn(app);
    assert.equal(limited.statusCode, 429);
    assert.equal(code(limited), 'ADMIN_LOGIN_RATE_LIMITED');
    assert.ok(Number(limited.headers['retry-after']) > 0);
  });

  it('answers bad input with a coded error', async (t) => {
    const app = await start(t);
    const { cookie } = await operator(app);
    const badRange = await app.inject({ url: '/admin/api/stats?range=year', headers: { cookie } });
    assert.equal(badRange.statusCode, 400);
    assert.match(badRange.json<{ message: string }>().message, /range/);
    const badCursor = await app.inject({ url: '/admin/api/calls?cursor=nope', headers: { cookie } });
    assert.equal(badCursor.statusCode, 400);
    const unknown = await app.inject({ url: '/admin/api/calls/AAAAAAAAAAAAAAAAAAAAAA', headers: { cookie } });
    assert.equal(unknown.statusCode, 404);
    const noBody = await app.inject({ method: 'POST', url: '/admin/api/login', payload: {} });
    assert.equal(noBody.statusCode, 400);
  });
});
