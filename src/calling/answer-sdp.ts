// What WhatsApp accepts as our side of a call (Meta's calling reference and the errors it answers): one audio
// section with Opus at 48 kHz, rtcp-mux, ICE credentials and every candidate (there is no trickle), DTLS with
// exactly one sha-256 fingerprint ("Fingerprint algo is not SHA256" otherwise) and the active role.

/** What is wrong with an SDP answer for WhatsApp; empty when nothing is. */
export function answerSdpProblems(sdp: string): string[] {
  const lines = sdp.split(/\r?\n/);
  const problems: string[] = [];
  const count = (pattern: RegExp) => lines.filter((line) => pattern.test(line)).length;
  if (count(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /) !== 1)
    problems.push('one m=audio UDP/TLS/RTP/SAVPF section');
  if (count(/^m=(?!audio)/) > 0) problems.push('no media but audio');
  const fingerprints = lines.filter((line) => line.startsWith('a=fingerprint:'));
  if (
    fingerprints.length !== 1 ||
    !/^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/i.test(fingerprints[0] ?? '')
  )
    problems.push('exactly one sha-256 fingerprint');
  if (count(/^a=setup:active$/) !== 1) problems.push('a=setup:active');
  if (count(/^a=rtpmap:\d+ opus\/48000\/2$/i) !== 1) problems.push('Opus 48000/2');
  if (count(/^a=rtcp-mux$/) !== 1) problems.push('a=rtcp-mux');
  if (count(/^a=ice-ufrag:\S+$/) !== 1 || count(/^a=ice-pwd:\S{22,}$/) !== 1)
    problems.push('ICE ufrag and pwd');
  if (count(/^a=candidate:\S+ 1 udp \d+ \S+ \d+ typ /i) === 0) problems.push('at least one UDP candidate');
  if (count(/^a=sendrecv$/) !== 1) problems.push('a=sendrecv');
  return problems;
}

/** Our answer as WhatsApp gets it: without the trickle option, since every candidate is already in it. */
export function forWhatsApp(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => line !== 'a=ice-options:trickle')
    .join('\r\n');
}
