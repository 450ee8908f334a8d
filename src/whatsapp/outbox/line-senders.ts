import type { Config, Line } from '../../config.js';
import { CloudApiClient } from './cloud-api-client.js';
import { DEFAULT_OUTBOX_WORKER_SETTINGS } from './outbox-worker.js';
import type { LineSender } from './outbox-worker-plugin.js';
import type { WhatsAppClient } from './whatsapp-client.js';
import type { SendBudget } from './send-budget.js';

const GRAPH_API_TIMEOUT_MS = 10_000;

/**
 * Enough sends under way to reach a line's throughput cap with a Graph API answering in 250 ms (32 at Meta's
 * default 80/s): with fewer, an upgraded number's cap could never be reached.
 */
export function sendsInFlight(line: Line): number {
  return Math.max(DEFAULT_OUTBOX_WORKER_SETTINGS.maxInFlight, Math.ceil(line.maxSendsPerSecond / 4));
}

/**
 * What each line sends with: its own Cloud API client (its number, its token), or `shared` (the sandbox chat,
 * a test's client); its cap; and, with several instances, one budget in Redis per number, since Meta's limit
 * is the number's. `closing` hears of the clients to close after the last sends.
 */
export function lineSenders(
  config: Config,
  /** A number's budget shared by every instance (Redis), when there is one. */
  sharedBudget: ((phoneNumberId: string, perSecond: number) => SendBudget) | undefined,
  shared: WhatsAppClient | undefined,
  closing: (close: () => void) => void,
): LineSender[] {
  const { whatsapp } = config;
  return config.lines.map((line) => {
    let client = shared;
    if (client === undefined && whatsapp.mode === 'cloud') {
      const cloud = new CloudApiClient({
        graphApiBaseUrl: whatsapp.graphApiBaseUrl,
        graphApiVersion: whatsapp.graphApiVersion,
        phoneNumberId: line.phoneNumberId,
        token: line.token ?? '',
        timeoutMs: GRAPH_API_TIMEOUT_MS,
        maxConnections: sendsInFlight(line),
      });
      closing(() => cloud.close());
      client = cloud;
    }
    if (client === undefined) throw new Error(`line ${line.id}: no WhatsApp client`);
    const settings = { maxSendsPerSecond: line.maxSendsPerSecond, maxInFlight: sendsInFlight(line) };
    return {
      line: line.id,
      client,
      settings,
      budget:
        whatsapp.mode === 'cloud' ? sharedBudget?.(line.phoneNumberId, line.maxSendsPerSecond) : undefined,
    };
  });
}
