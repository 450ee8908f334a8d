import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

// A receiver of call events for the tests: what a business's system would run.

/** One event as it was received. */
export interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly event: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** An HTTP server that records what it is sent, and answers `status()` (200 unless told otherwise). */
export class Receiver {
  readonly accepted: Delivery[] = [];
  attempts = 0;
  status: () => number = () => 200;
  private constructor(readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        receiver.attempts++;
        const status = receiver.status();
        const body = Buffer.concat(chunks).toString('utf8');
        if (status === 200)
          receiver.accepted.push({ headers: request.headers, body, event: JSON.parse(body) });
        response.writeHead(status).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/wwb`;
  }

  types(): string[] {
    return this.accepted.map((delivery) => delivery.event.type);
  }

  /**
   * The types of the events received, once every one's signature was checked with the Standard Webhooks
   * library's verifier (an implementation independent of the service's) and found to name `callId`.
   */
  verifiedTypes(secret: string, callId: string): string[] {
    const verifier = new Webhook(secret);
    for (const delivery of this.accepted) {
      const verified = verifier.verify(delivery.body, delivery.headers as Record<string, string>);
      if (JSON.stringify(verified) !== JSON.stringify(delivery.event))
        throw new Error('a signature does not verify');
      if (delivery.event.data.callId !== callId)
        throw new Error(`an event of another call: ${delivery.body}`);
    }
    return this.types();
  }
}

/** What a system hears of a call both people joined, that connected, and that one of them hung up. */
export const WHOLE_CALL = [
  'call.created',
  'participant.joined',
  'participant.joined',
  'call.connected',
  'participant.left',
  'call.ended',
] as const;
