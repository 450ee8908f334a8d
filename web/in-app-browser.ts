// Apps' built-in browsers (Facebook, Instagram, Messenger, Line, Snapchat, X, TikTok…) often have no working
// getUserMedia: the page recognises them and offers ways out to a real browser. No DOM here.

const IN_APP_BROWSER =
  /FBAN|FBAV|FB_IAB|Instagram|Messenger|Line\/|Snapchat|Twitter|TikTok|musical_ly|BytedanceWebview/i;

export function isInAppBrowser(userAgent: string): boolean {
  return IN_APP_BROWSER.test(userAgent);
}

/** Where the call page is: the parts of `location` the links are made of. */
export interface PageAddress {
  readonly origin: string;
  readonly host: string;
  readonly pathname: string;
}

/**
 * The link to paste into another browser, and on Android an intent that opens it in Chrome. Both carry the
 * seat key in the query (the page moves it back into the fragment): an intent keeps the fragment for itself.
 */
export function openInBrowserLinks(
  page: PageAddress,
  seatKey: string,
  userAgent: string,
): { readonly copy: string; readonly androidIntent: string | undefined } {
  const key = encodeURIComponent(seatKey);
  return {
    copy: `${page.origin}${page.pathname}?k=${key}`,
    androidIntent: /Android/i.test(userAgent)
      ? `intent://${page.host}${page.pathname}?k=${key}#Intent;scheme=https;package=com.android.chrome;end`
      : undefined,
  };
}
