import assert from 'node:assert/strict';
import { after, before, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { voicePayload } from '../../src/calling/voice-payload.js';
import { hashSeatKey } from '../../src/rooms/room.js';
import { FakeGraphApi } from '../fakes/fake-graph-api.js';
import { callConnectWebhook, FakeWhatsAppCaller } from '../fakes/fake-whatsapp-caller.js';
import { seedRoom, socketBase } from './signaling-client.js';
import { cloudConfig, eventually, startApp } from './test-app.js';
import { weriftPage } from './werift-page.js';
import { signed } from './webhook-payloads.js';

/** What the fake Graph API recorded of a calling action. */
type RecordedAction = { call_id?: string; action?: string; session?: { sdp?: string } };

/**
 * The set-up the WhatsApp voice tests share, for one test file: the fake Graph API (it checks calling actions as
 * Meta does), the service with calling on, and a room whose host's page is in it with the invitee calling by
 * WhatsApp from the button.
 */
export function voiceCallsHarness() {
  let graph: FakeGraphApi;
  before(async () => {
    graph = await FakeGraphApi.start();
  });
  after(() => graph.close());

  const callingApp = async (
    t: TestContext,
    mode = 'inbound',
    deps: Parameters<typeof startApp>[2] = {},
    env: Record<string, string> = {},
  ): Promise<FastifyInstance> => {
    const config = cloudConfig(graph.baseUrl, {
      WHATSAPP_CALLING: mode,
      CALL_BRIDGE_ADDRESSES: '127.0.0.1',
      WHATSAPP_DISPLAY_NUMBER: '+57 300 555 0100',
      ...env,
    });
    const app = await startApp(t, config, deps);
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app;
  };

  const postCall = async (app: FastifyInstance, payload: unknown) => {
    const { headers, payload: body } = signed(payload);
    const response = await app.inject({ method: 'POST', url: '/webhook', headers, payload: body });
    assert.equal(response.statusCode, 200);
  };

  const actionsFor = (callId: string) =>
    graph.callActions
      .map((record) => record.body as RecordedAction)
      .filter((body) => body.call_id === callId);

  /** The host's page (the impolite seat: it offers once the other seat is taken), audio only. */
  const hostPage = (app: FastifyInstance, roomId: string, seatKey: string, clientId?: string) =>
    weriftPage(socketBase(app), roomId, seatKey, clientId);

  /** A room with the host's page in it, and the invitee calling by WhatsApp from the button: answered. */
  const bridgedCall = async (t: TestContext, app: FastifyInstance, callId: string) => {
    const { room, seatKeys } = await seedRoom(app);
    const host = await hostPage(app, room.id, seatKeys[0]);
    const caller = await FakeWhatsAppCaller.start();
    t.after(async () => {
      await host.close();
      await caller.close();
    });
    const payload = voicePayload(room.id, 1, hashSeatKey(seatKeys[1]));
    await postCall(app, callConnectWebhook({ callId, from: '573004445566', offer: caller.offer, payload }));
    const preAccept = await eventually(
      () => actionsFor(callId).find((body) => body.action === 'pre_accept'),
      {
        timeoutMs: 10_000,
        what: 'pre_accept',
      },
    );
    await caller.answered(preAccept.session?.sdp ?? '');
    return { room, seatKeys, host, caller };
  };

  return { graph: () => graph, callingApp, postCall, actionsFor, hostPage, bridgedCall };
}
