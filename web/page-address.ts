// What the call page reads from its own address, once, before anything else: the room, the seat key, and the
// tab's identity.

/** The room id: the last path segment of /room/<id>. */
export const roomId = location.pathname.split('/').pop() ?? '';

// Links carry the seat key in the fragment; template buttons can only add a query (?k=), which is moved into
// the fragment at once so that it stays out of the address bar, history and any later request.
const query = new URLSearchParams(location.search);
const keyInQuery = query.get('k');
if (keyInQuery !== null) {
  query.delete('k');
  const rest = query.toString() === '' ? '' : `?${query.toString()}`;
  history.replaceState(null, '', `${location.pathname}${rest}#k=${keyInQuery}`);
}

/** ?ice=relay sends the call through TURN only: a way to check that a TURN server works. */
export const iceTransportPolicy: RTCIceTransportPolicy = query.get('ice') === 'relay' ? 'relay' : 'all';

export const seatKey = new URLSearchParams(location.hash.slice(1)).get('k') ?? '';

/** 128 random bits in hex. (crypto.randomUUID exists only on https pages; this page must say so first.) */
function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/** Kept by the tab across reloads, so that a reload takes its own seat back at once. */
export const clientId = sessionStorage.getItem('wwb.client') ?? randomId();
sessionStorage.setItem('wwb.client', clientId);

/** New for every page load: it names the peer connection this page negotiates. */
export const sessionId = randomId();
