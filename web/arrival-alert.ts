// When the other person joins, someone waiting in another tab or with the phone on the table must notice: a
// soft two-note chime, the tab's title, and a short vibration where the phone allows it. The title goes back
// once the page is looked at again.

/** The tab title that says who arrived, keeping the page's own title to restore. */
export function arrivalTitle(template: string, shortText: string, peerLabel: string | undefined): string {
  return peerLabel === undefined ? shortText : template.replace('{name}', peerLabel);
}

let context: AudioContext | undefined;

/** Two soft sine notes (E5 then A5), a fifth of a second each: noticeable, not alarming. */
function chime(): void {
  const Context =
    window.AudioContext ?? (window as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (Context === undefined) return;
  context ??= new Context();
  // A page that never had a tap may keep its audio suspended: resuming is all that is allowed, and may fail.
  void context.resume().catch(() => undefined);
  const start = context.currentTime + 0.02;
  for (const [index, frequency] of [659.25, 880].entries()) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    const at = start + index * 0.22;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.12, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.21);
  }
}

/** Tells the person the other one arrived: chime, vibration, and the tab's title until they look. */
export function announceArrival(title: string): void {
  chime();
  navigator.vibrate?.([180, 90, 180]);
  document.documentElement.dataset.arrived = String(Date.now());
  if (document.visibilityState === 'visible' && document.hasFocus()) return;
  const original = document.title;
  document.title = title;
  const restore = () => {
    if (document.visibilityState !== 'visible') return;
    document.title = original;
    document.removeEventListener('visibilitychange', restore);
    window.removeEventListener('focus', restore);
  };
  document.addEventListener('visibilitychange', restore);
  window.addEventListener('focus', restore);
}
