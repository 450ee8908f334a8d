// The reference: the smallest WebSocket relay for our message pattern, the physical limit on this machine.
// Two sockets on /r/<room> are paired, and every message from one goes to the other as it is.
import { WebSocketServer, type WebSocket } from 'ws';

const rooms = new Map<string, WebSocket[]>();
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (socket, request) => {
  const room = request.url ?? '';
  const peers = rooms.get(room) ?? [];
  peers.push(socket);
  rooms.set(room, peers);
  socket.on('message', (data, isBinary) => {
    for (const peer of peers) if (peer !== socket) peer.send(data, { binary: isBinary });
  });
});
server.on('listening', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
