import Bowser from 'bowser';

/** A person's browser and platform, in a few words for the dashboard; 'Other' where the User-Agent says nothing. */
export function browserAndPlatform(userAgent: string | undefined): { browser: string; platform: string } {
  if (userAgent === undefined || userAgent === '') return { browser: 'Other', platform: 'Other' };
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  return {
    browser: parsed.browser.name || 'Other',
    platform: parsed.os.name || 'Other',
  };
}
