// The Calling API's actions on a call: POST /{phone-number-id}/calls (Meta's calling reference).

export type CallAction =
  | { readonly action: 'pre_accept' | 'accept'; readonly callId: string; readonly sdp: string }
  | { readonly action: 'reject' | 'terminate'; readonly callId: string };

export interface CallingActions {
  run(line: { phoneNumberId: string; token: string | undefined }, action: CallAction): Promise<void>;
}

/** The body Meta expects for an action. */
export function actionBody(action: CallAction): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    call_id: action.callId,
    action: action.action,
    ...('sdp' in action && { session: { sdp_type: 'answer', sdp: action.sdp } }),
  };
}

/** The Graph API over HTTP. */
export class GraphCallingActions implements CallingActions {
  constructor(
    private readonly settings: { graphApiBaseUrl: string; graphApiVersion: string; timeoutMs: number },
  ) {}

  async run(line: { phoneNumberId: string; token: string | undefined }, action: CallAction): Promise<void> {
    const { graphApiBaseUrl, graphApiVersion, timeoutMs } = this.settings;
    const response = await fetch(`${graphApiBaseUrl}/${graphApiVersion}/${line.phoneNumberId}/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${line.token ?? ''}` },
      body: JSON.stringify(actionBody(action)),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) {
      const text = await response.text();
      throw new Error(`Graph API answered ${response.status} to ${action.action}: ${text.slice(0, 300)}`);
    }
  }
}
