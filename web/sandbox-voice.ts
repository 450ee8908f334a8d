// The sandbox page as a person's phone calling the business on WhatsApp: its microphone and a browser peer
// connection stand in for WhatsApp's side of the call; the service's own bridge answers it.

export interface VoiceCallView {
  /** What to tell the person: calling, in the call, refused, ended; `undefined` hides the call bar. */
  show(state: 'calling' | 'in-call' | 'rejected' | 'ended' | undefined): void;
  /** The business's audio (the other person in the room). */
  play(stream: MediaStream): void;
}

interface ActiveCall {
  readonly callId: string | undefined;
  readonly pc: RTCPeerConnection;
  readonly microphone: MediaStream;
}

/** Resolves once the connection has gathered every candidate (WhatsApp takes no trickle), or after 3 s. */
function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, 3_000);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') done();
    });
  });
}

export class SandboxVoiceCall {
  #active: ActiveCall | undefined;

  constructor(private readonly view: VoiceCallView) {}

  /** Calls the business from `from`'s chat, as tapping the invitation's wa.me/call link does. */
  async call(from: string, payload: string): Promise<void> {
    if (this.#active !== undefined) return;
    this.view.show('calling');
    const microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection();
    this.#active = { callId: undefined, pc, microphone };
    for (const track of microphone.getAudioTracks()) pc.addTrack(track, microphone);
    pc.addEventListener('track', (event) =>
      this.view.play(event.streams[0] ?? new MediaStream([event.track])),
    );
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected') this.view.show('in-call');
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const response = await fetch('/sandbox/calls', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, payload, sdp: pc.localDescription?.sdp }),
    });
    const answer = (await response.json()) as { callId?: string; sdp?: string; rejected?: boolean };
    if (!response.ok || answer.sdp === undefined || answer.callId === undefined) {
      this.#stop();
      this.view.show('rejected');
      return;
    }
    this.#active = { callId: answer.callId, pc, microphone };
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
  }

  /** The person hangs up on their phone. */
  hangUp(): void {
    const callId = this.#active?.callId;
    this.#stop();
    this.view.show('ended');
    if (callId !== undefined) void fetch(`/sandbox/calls/${callId}/hangup`, { method: 'POST' });
  }

  /** The business ended the call (the other person hung up, the room closed). */
  endedByBusiness(callId: string): void {
    if (this.#active?.callId !== callId) return;
    this.#stop();
    this.view.show('ended');
  }

  #stop(): void {
    for (const track of this.#active?.microphone.getTracks() ?? []) track.stop();
    this.#active?.pc.close();
    this.#active = undefined;
  }
}
