import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// Network faults for browser tests. They act on the private network namespace the browser tests run in
// (scripts/test.sh), never on the machine's own network, and each returns the function that undoes it.

const run = promisify(execFile);
const TABLE = 'wwb_test';

async function nft(rule: string): Promise<void> {
  await run('nft', [rule]);
}

async function addNftRule(rule: string): Promise<() => Promise<void>> {
  await nft(`add table inet ${TABLE}`);
  await nft(`add chain inet ${TABLE} out { type filter hook output priority 0; }`);
  await nft(`add rule inet ${TABLE} out ${rule}`);
  return () => nft(`delete table inet ${TABLE}`);
}

/** Every UDP packet dropped (media and ICE checks), TCP untouched (signaling): a Wi-Fi that went away. */
export function dropUdp(): Promise<() => Promise<void>> {
  return addNftRule('meta l4proto udp drop');
}

/** Conditions on the link, as tc and nftables can make them. */
export interface LinkConditions {
  readonly rateKbit: number;
  readonly udpLossPercent: number;
  /** Queue a packet may wait in before it is dropped: with the rate, it sets the delay under load. */
  readonly queueMs: number;
}

/** 3G as mobile networks deliver it on a fair day: about 750 kbit/s, a few percent of packets lost. */
export const LIKE_3G: LinkConditions = { rateKbit: 750, udpLossPercent: 3, queueMs: 300 };

/**
 * Shapes loopback: a token-bucket rate limit with a queue, and random UDP loss. This kernel has no netem
 * (CONFIG_NET_SCH_NETEM is off), so a fixed extra delay cannot be added; the queue adds delay under load.
 */
export async function shapeLoopback(conditions: LinkConditions): Promise<() => Promise<void>> {
  await run('tc', [
    'qdisc',
    'add',
    'dev',
    'lo',
    'root',
    'tbf',
    'rate',
    `${conditions.rateKbit}kbit`,
    'burst',
    '16kb',
    'latency',
    `${conditions.queueMs}ms`,
  ]);
  const undoLoss = await addNftRule(
    `meta l4proto udp numgen random mod 100 < ${conditions.udpLossPercent} drop`,
  );
  return async () => {
    await undoLoss();
    await run('tc', ['qdisc', 'del', 'dev', 'lo', 'root']);
  };
}
