import { showNotice } from './call-screens.js';
import { language, texts, ui } from './call-ui.js';
import { callTimeWords, nextTickMs, timeLeft } from './countdown.js';

/**
 * A booked call before its room opens: when it is (in the device's zone), a countdown to the opening, and the
 * page loads again then, which takes it to the pre-join screen.
 */
export function showEarly(startsAt: number, opensAt: number): void {
  ui.call.dataset.screen = 'early';
  const paint = () => {
    const left = opensAt - Date.now();
    if (left <= 0) {
      location.reload();
      return;
    }
    showNotice({
      title: texts.earlyTitle,
      text: texts.earlyText
        .replace('{when}', callTimeWords(startsAt, language))
        .replace('{left}', texts.opensIn.replace('{left}', timeLeft(left))),
      action: 'none',
    });
    setTimeout(paint, nextTickMs(left));
  };
  paint();
}
