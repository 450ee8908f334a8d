// The README rows of the WhatsApp voice bridge benchmark (bench/voice-bridge.ts).

export interface VoiceResults {
  readonly setup: { calls: number; p50Ms: number; p90Ms: number; all: number[] };
  readonly burst?: { calls: number; p50Ms: number; maxMs: number; eventLoopDelayMaxMs: number } | undefined;
  readonly load: {
    calls: number;
    seconds: number;
    flowing: number;
    packetsPerSecondEachWay: number;
    serviceCpuPercent: number;
    eventLoopDelayP99Ms: number;
    eventLoopDelayMaxMs: number;
  };
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export function voiceRows({ setup, burst, load }: VoiceResults): string[][] {
  return [
    [
      `WhatsApp voice call setup, ${setup.calls} calls one after another (calls webhook posted → audio arriving on both sides)`,
      `p50 ${round(setup.p50Ms, 0)} ms, p90 ${round(setup.p90Ms, 0)} ms`,
      // A person hears the call ring until it is accepted: under a second keeps it a ring, not a wait.
      'p90 ≤ 1,000 ms',
      setup.p90Ms <= 1_000 ? 'met' : '**not met**',
    ],
    ...(burst === undefined
      ? []
      : [
          [
            `WhatsApp voice calls arriving together, ${burst.calls} at the same moment`,
            `setup p50 ${round(burst.p50Ms, 0)} ms, last ${round(burst.maxMs, 0)} ms; the service's event loop held up to ${round(burst.eventLoopDelayMaxMs, 0)} ms (DTLS handshakes on the main thread)`,
            'report',
            '',
          ],
        ]),
    [
      `WhatsApp voice bridge, ${load.calls} calls bridged at once for ${load.seconds} s (Opus 50 packets/s each way)`,
      `${load.flowing}/${load.calls} calls carrying audio both ways at the end, ${round(load.packetsPerSecondEachWay)} packets/s each way per call; service CPU ${round(load.serviceCpuPercent)} % of one core (${round(load.serviceCpuPercent / load.calls, 2)} % per call); event-loop delay p99 ${round(load.eventLoopDelayP99Ms)} ms, max ${round(load.eventLoopDelayMaxMs)} ms`,
      // 20 ms is one Opus frame: a longer stall delays audio by more than a packet.
      'all carrying audio; event-loop p99 ≤ 20 ms',
      load.flowing === load.calls && load.eventLoopDelayP99Ms <= 20 ? 'met' : '**not met**',
    ],
  ];
}
