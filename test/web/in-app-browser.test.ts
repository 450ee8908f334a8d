import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isInAppBrowser, openInBrowserLinks } from '../../web/in-app-browser.js';

const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('isInAppBrowser', () => {
  it('recognises the apps whose built-in browsers break the camera', () => {
    for (const userAgent of [
      `${ANDROID_CHROME} [FB_IAB/FB4A;FBAV/470.0.0.0;]`,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0]',
      `${IPHONE_SAFARI} Instagram 330.0.0.0`,
      `${ANDROID_CHROME} Line/14.0.0`,
      `${ANDROID_CHROME} Snapchat/12.90.0.46`,
      `${ANDROID_CHROME} musical_ly_2023 BytedanceWebview/d8a21c6`,
    ]) {
      assert.equal(isInAppBrowser(userAgent), true, userAgent);
    }
  });

  it('leaves real browsers alone', () => {
    for (const userAgent of [ANDROID_CHROME, IPHONE_SAFARI]) assert.equal(isInAppBrowser(userAgent), false);
  });
});

describe('openInBrowserLinks', () => {
  const page = { origin: 'https://call.example', host: 'call.example', pathname: '/room/abc' };
  it('gives the link with the key in the query, and on Android an intent to Chrome', () => {
    assert.deepEqual(openInBrowserLinks(page, 'K-1_x', ANDROID_CHROME), {
      copy: 'https://call.example/room/abc?k=K-1_x',
      androidIntent:
        'intent://call.example/room/abc?k=K-1_x#Intent;scheme=https;package=com.android.chrome;end',
    });
  });

  it('gives no intent elsewhere', () => {
    assert.equal(openInBrowserLinks(page, 'K', IPHONE_SAFARI).androidIntent, undefined);
  });
});
