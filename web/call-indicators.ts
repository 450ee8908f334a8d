import { qualityBetween, sampleStats, type StatsSample } from './call-quality.js';
import type { PageTexts } from './i18n.js';

// The two small indicators at the top of the call: how long it has lasted, and how well it is getting through.

/** How often the quality indicator reads the connection's statistics. */
const QUALITY_INTERVAL_MS = 2_000;

/** The call timer: started at the first connection, it keeps counting through reconnections. */
export class CallTimer {
  #handle: ReturnType<typeof setInterval> | undefined;
  #startedAt: number | undefined;

  constructor(private readonly element: HTMLElement) {}

  start(): void {
    if (this.#handle !== undefined) return;
    const startedAt = Date.now();
    this.#startedAt = startedAt;
    this.element.hidden = false;
    const show = () => {
      this.element.textContent = formatDuration(Math.floor((Date.now() - startedAt) / 1000));
    };
    show();
    this.#handle = setInterval(show, 1000);
  }

  /** Stops and hides the timer; says how long the call lasted ("2:13"), or undefined if it never started. */
  stop(): string | undefined {
    clearInterval(this.#handle);
    this.element.hidden = true;
    const startedAt = this.#startedAt;
    return startedAt === undefined ? undefined : formatDuration(Math.floor((Date.now() - startedAt) / 1000));
  }
}

/** "2:13", "1:02:03". */
function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const clock = `${minutes % 60}:${String(seconds % 60).padStart(2, '0')}`;
  return minutes >= 60 ? `${Math.floor(minutes / 60)}:${clock.padStart(5, '0')}` : clock;
}

/**
 * Signal bars from round trip and loss, with the figures themselves in the label for screen readers and mice.
 * `connection` gives the current peer connection: a new one (the other person reloaded) starts afresh.
 */
export class QualityIndicator {
  #handle: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly element: HTMLElement,
    private readonly texts: PageTexts,
    private readonly language: string,
    private readonly connection: () => RTCPeerConnection | undefined,
  ) {}

  start(): void {
    if (this.#handle !== undefined) return;
    let previous: { pc: RTCPeerConnection; sample: StatsSample } | undefined;
    this.#handle = setInterval(() => {
      const pc = this.connection();
      if (pc?.connectionState !== 'connected') return;
      void pc.getStats().then((report) => {
        const sample = sampleStats(report, Date.now());
        if (previous?.pc === pc) this.#show(qualityBetween(previous.sample, sample));
        previous = { pc, sample };
      });
    }, QUALITY_INTERVAL_MS);
  }

  hide(): void {
    this.element.hidden = true;
  }

  stop(): void {
    clearInterval(this.#handle);
    this.hide();
  }

  #show(quality: ReturnType<typeof qualityBetween>): void {
    const { texts } = this;
    const name = { good: texts.qualityGood, fair: texts.qualityFair, poor: texts.qualityPoor }[quality.level];
    const details = texts.qualityDetails
      .replace('{rtt}', quality.rttMs === undefined ? '?' : String(quality.rttMs))
      .replace('{loss}', quality.lossPercent.toLocaleString(this.language))
      .replace('{kbps}', String(quality.kbps));
    this.element.dataset.level = quality.level;
    this.element.setAttribute('aria-label', `${name} · ${details}`);
    this.element.title = `${name} · ${details}`;
    this.element.hidden = false;
  }
}
