import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import type { ServerMessage } from '../../src/protocol/signaling-messages.js';
import { createRoom } from '../../src/rooms/room.js';
import { eventually } from './test-app.js';

let counter = 0;

/** Stores a fresh room in the app and returns it with its two seat keys. */
export async function seedRoom(app: FastifyInstance, options: { nowMs?: number; ttlSeconds?: number } = {}) {
  const created = createRoom({
    nowMs: options.nowMs ?? Date.now(),
    ttlSeconds: options.ttlSeconds ?? 3600,
    owners: [{ waId: '573001112233', name: 'Ana' }, { waId: '573004445566' }],
  });
  await app.storage.ledger.commit(
    `seed-${++counter}-${created.room.id}`,
    { rooms: [created.room], messages: [] },
    0,
  );
  return created;
}

/** The ws:// base URL of a listening app. */
export function socketBase(app: FastifyInstance): string {
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** A signaling socket as a page opens it, recording what it receives. */
export class TestPeer {
  readonly received: ServerMessage[] = [];
  closeCode: number | undefined;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.received.push(JSON.parse(data.toString()) as ServerMessage));
    socket.on('close', (code) => {
      this.closeCode = code;
    });
  }

  /** Opens a socket and waits for it to be accepted; rejects with the HTTP status and body when it is refused. */
  static connect(
    app: FastifyInstance,
    roomId: string,
    seatKey: string | undefined,
    ids: { client?: string; session?: string; userAgent?: string } = {},
  ): Promise<TestPeer> {
    const client = ids.client ?? `client-${++counter}`;
    const session = ids.session ?? `session-${++counter}`;
    const protocols = ['wwb.v1', ...(seatKey === undefined ? [] : [`seat.${seatKey}`])];
    const socket = new WebSocket(
      `${socketBase(app)}/ws/${roomId}?client=${client}&session=${session}`,
      protocols,
      ids.userAgent === undefined ? {} : { headers: { 'user-agent': ids.userAgent } },
    );
    const peer = new TestPeer(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(peer));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(new RefusedUpgrade(response.statusCode ?? 0, body)));
      });
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message of `type` received from index `from` on, waiting for it if needed. */
  next<T extends ServerMessage['type']>(type: T, from = 0): Promise<Extract<ServerMessage, { type: T }>> {
    return eventually(
      () => this.received.slice(from).find((m): m is Extract<ServerMessage, { type: T }> => m.type === type),
      { what: `a "${type}" message`, timeoutMs: 5_000 },
    );
  }

  closed(): Promise<number> {
    return eventually(() => this.closeCode, { what: 'the socket to close' });
  }
}

/** An upgrade the server refused with an HTTP error. */
export class RefusedUpgrade extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade refused with HTTP ${status}: ${body}`);
  }
  get code(): string {
    return (JSON.parse(this.body) as { code: string }).code;
  }
}
