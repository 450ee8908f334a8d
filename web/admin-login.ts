import type { SessionAnswer } from '../src/protocol/dashboard.js';
import type { AdminTexts } from './admin-texts.js';
import { fill } from './admin-figures.js';
import { byId, requestJson, RequestError } from './admin-dom.js';

/** The sign-in page: one password field; what went wrong said in words. */
export async function loginView(texts: AdminTexts): Promise<void> {
  const session = await requestJson<SessionAnswer>('/admin/api/session');
  if (session.signedIn) {
    location.replace('/admin');
    return;
  }
  byId('sandbox').hidden = !session.sandbox;
  byId('no-password').hidden = session.passwordSet;
  const form = byId<HTMLFormElement>('login');
  const message = byId('message');
  const password = byId<HTMLInputElement>('password');
  password.focus();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    message.textContent = '';
    const button = form.querySelector('button');
    if (button !== null) button.disabled = true;
    requestJson('/admin/api/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: password.value }),
    })
      .then(() => location.assign('/admin'))
      .catch((error: unknown) => {
        const code = error instanceof RequestError ? error.code : undefined;
        if (code === 'ADMIN_PASSWORD_NOT_SET') byId('no-password').hidden = false;
        message.textContent =
          code === 'ADMIN_LOGIN_FAILED'
            ? texts.wrongPassword
            : code === 'ADMIN_LOGIN_RATE_LIMITED'
              ? fill(texts.rateLimited, {
                  minutes: Math.ceil(((error as RequestError).retryAfterSeconds ?? 60) / 60),
                })
              : code === 'ADMIN_PASSWORD_NOT_SET'
                ? ''
                : texts.signInFailed;
        password.select();
      })
      .finally(() => {
        if (button !== null) button.disabled = false;
      });
  });
}
