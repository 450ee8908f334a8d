import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readWebhookContents, webhookPayloadSchema } from './webhook-payload.js';

function change(value: Record<string, unknown>, field = 'messages') {
  return { field, value: { messaging_product: 'whatsapp', ...value } };
}

function read(payload: unknown) {
  return readWebhookContents(webhookPayloadSchema.parse(payload));
}

/** A notification with one entry holding these changes. */
function oneEntry(...changes: unknown[]) {
  return { object: 'whatsapp_business_account', entry: [{ id: '1', changes }] };
}

describe('webhook payload', () => {
  it('walks every entry, change and message of a batch', () => {
    const first = oneEntry(
      change({
        contacts: [
          { profile: { name: 'Ana' }, wa_id: '573001112233' },
          { profile: { name: 'Luis' }, wa_id: '573004445566' },
        ],
        messages: [
          { from: '573001112233', id: 'a', type: 'text', text: { body: 'hola' } },
          { from: '573004445566', id: 'b', type: 'text', text: { body: 'ayuda' } },
        ],
      }),
    );
    const second = oneEntry(
      change({ messages: [{ from: '16505551234', id: 'c', type: 'text', text: { body: 'x' } }] }),
    );
    const contents = read({ ...first, entry: [...first.entry, ...second.entry] });
    assert.deepEqual(
      contents.messages.map((m) => [m.message.id, m.senderName]),
      [
        ['a', 'Ana'],
        ['b', 'Luis'],
        ['c', undefined],
      ],
    );
    assert.deepEqual(contents.rejected, []);
  });

  it('ignores fields it does not use, and changes of other fields', () => {
    const contents = read({
      object: 'whatsapp_business_account',
      unknown: true,
      entry: [
        {
          id: '1',
          time: 123,
          changes: [
            change({
              messages: [
                { from: '573001112233', id: 'a', type: 'text', text: { body: 'x', extra: 1 }, new_field: {} },
              ],
            }),
            change({ calls: [{ id: 'call' }] }, 'calls'),
          ],
        },
      ],
    });
    assert.equal(contents.messages.length, 1);
    assert.equal(contents.messages[0]?.message.text?.body, 'x');
  });

  it('keeps statuses apart from messages', () => {
    const contents = read(
      oneEntry(
        change({
          statuses: [
            {
              id: 'wamid.OUT1',
              status: 'failed',
              recipient_id: '573004445566',
              biz_opaque_callback_data: 'wamid.IN:invitee',
              errors: [{ code: 131047, title: 'Re-engagement message' }],
            },
          ],
        }),
      ),
    );
    assert.equal(contents.messages.length, 0);
    assert.equal(contents.statuses[0]?.errors?.[0]?.code, 131047);
    assert.equal(contents.statuses[0]?.biz_opaque_callback_data, 'wamid.IN:invitee');
  });

  it('reports a malformed message on its own and keeps the rest of the batch', () => {
    const contents = read(
      oneEntry(
        change({
          messages: [
            { from: '573001112233', type: 'text' },
            { from: '573001112233', id: 'ok', type: 'text', text: { body: 'x' } },
          ],
        }),
      ),
    );
    assert.deepEqual(
      contents.messages.map((m) => m.message.id),
      ['ok'],
    );
    assert.equal(contents.rejected.length, 1);
    assert.equal(contents.rejected[0]?.kind, 'message');
  });

  it('accepts messages from people with a username and no number', () => {
    const contents = read(
      oneEntry(
        change({
          contacts: [{ profile: { name: 'Ana' }, user_id: 'CO.1' }],
          messages: [{ from_user_id: 'CO.1', id: 'a', type: 'text', text: { body: 'x' } }],
        }),
      ),
    );
    assert.equal(contents.messages[0]?.message.from, undefined);
    assert.equal(contents.messages[0]?.senderName, 'Ana');
  });

  it('rejects envelopes that are not WhatsApp Business Account notifications', () => {
    assert.equal(webhookPayloadSchema.safeParse({ object: 'page', entry: [] }).success, false);
    assert.equal(webhookPayloadSchema.safeParse({ object: 'whatsapp_business_account' }).success, false);
    assert.equal(webhookPayloadSchema.safeParse([]).success, false);
  });

  it('reads only the changes for the number it serves, and lists the others', () => {
    const ours = change({
      metadata: { display_phone_number: '15550783881', phone_number_id: 'ours' },
      messages: [{ from: '573001112233', id: 'a', type: 'text', text: { body: 'hola' } }],
    });
    const theirs = change({
      metadata: { display_phone_number: '15550009999', phone_number_id: 'test-number' },
      messages: [
        { from: '573004445566', id: 'b', type: 'text', text: { body: 'videollamada +57 300 1112233' } },
      ],
      statuses: [{ id: 'wamid.s', status: 'read', recipient_id: '573004445566' }],
    });
    const contents = readWebhookContents(webhookPayloadSchema.parse(oneEntry(ours, theirs)), {
      serves: (id) => id === 'ours',
    });
    assert.deepEqual(
      contents.messages.map((m) => [m.message.id, m.phoneNumberId]),
      [['a', 'ours']],
    );
    assert.deepEqual(contents.statuses, []);
    assert.deepEqual(contents.otherNumbers, [{ phoneNumberId: 'test-number', messages: 1, statuses: 1 }]);
  });

  it('reads the errors Meta reports outside a message or a status', () => {
    const contents = read(
      oneEntry(
        change({
          metadata: { display_phone_number: '15550783881', phone_number_id: '1' },
          errors: [
            {
              code: 131000,
              title: 'Something went wrong',
              message: 'Something went wrong',
              error_data: { details: 'Unable to process' },
            },
            { code: 130429, title: 'Rate limit hit' },
          ],
        }),
      ),
    );
    assert.deepEqual(
      contents.errors.map((e) => [e.code, e.title, e.error_data?.details]),
      [
        [131000, 'Something went wrong', 'Unable to process'],
        [130429, 'Rate limit hit', undefined],
      ],
    );
  });

  it('rejects, with a reason, a message from nobody (neither from nor from_user_id)', () => {
    const contents = read(
      oneEntry(change({ messages: [{ id: 'x', type: 'text', text: { body: 'hola' } }] })),
    );
    assert.deepEqual(contents.messages, []);
    assert.deepEqual(contents.rejected, [{ kind: 'message', reason: 'neither from nor from_user_id' }]);
  });

  it('reads WhatsApp calls (the calls field) with their number, and reports a malformed one', () => {
    const contents = read(
      oneEntry(
        change(
          {
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            contacts: [{ profile: { name: 'Luis' }, wa_id: '573004445566' }],
            calls: [
              {
                id: 'wacid.HBgLMTU1NTA3ODM4ODEVAgARGBI',
                from: '573004445566',
                to: '15550783881',
                event: 'connect',
                timestamp: '1749196895',
                direction: 'USER_INITIATED',
                session: { sdp_type: 'offer', sdp: 'v=0\r\n' },
                cta_payload: 'wwbv1.room.1.tag',
              },
              { from: '573004445566', event: 'connect' },
            ],
          },
          'calls',
        ),
      ),
    );
    assert.equal(contents.calls.length, 1);
    assert.equal(contents.calls[0]?.phoneNumberId, '106540352242922');
    assert.equal(contents.calls[0]?.call.cta_payload, 'wwbv1.room.1.tag');
    assert.equal(contents.messages.length, 0);
    assert.equal(contents.rejected.length, 1);
    assert.equal(contents.rejected[0]?.kind, 'call');
  });
});
