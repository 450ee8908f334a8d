import type { InvitationLimits } from '../../src/config.js';
import type { InvitationSettings } from '../../src/whatsapp/invitations/call-invitations.js';

/** Generous limits: ten calls an hour, a two-minute pause between calls of the same pair. */
export const TEST_LIMITS: InvitationLimits = {
  perSenderPerHour: 10,
  pairCooldownSeconds: 120,
  allowedSenders: undefined,
};

/** The rules of the test line "main": an hour-long room, no template, https links. */
export function invitationSettings(overrides: Partial<InvitationSettings> = {}): InvitationSettings {
  return {
    line: 'main',
    publicBaseUrl: 'https://call.example.com',
    roomTtlSeconds: 3600,
    defaultCountry: undefined,
    inviteTemplate: undefined,
    limits: TEST_LIMITS,
    ...overrides,
  };
}
