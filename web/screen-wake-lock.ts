/**
 * Keeps a phone's screen on during the call: a locked screen sends the page to the background, and the camera
 * stops. Browsers drop the lock of a hidden page, so it is asked for again on return.
 */
export class ScreenWakeLock {
  #sentinel: WakeLockSentinel | undefined;

  /** `wanted` says whether the page is in a call now. */
  constructor(private readonly wanted: () => boolean) {}

  keep(): void {
    if (!this.wanted() || !('wakeLock' in navigator)) return;
    if (this.#sentinel !== undefined && !this.#sentinel.released) return;
    // Some browsers refuse (battery saver): the call works without it.
    navigator.wakeLock.request('screen').then(
      (sentinel) => {
        this.#sentinel = sentinel;
      },
      () => undefined,
    );
  }

  release(): void {
    void this.#sentinel?.release();
  }
}
