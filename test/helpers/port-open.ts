import { connect } from 'node:net';
import { eventually } from './test-app.js';

/** Resolves once something accepts TCP connections on the loopback port (a server the test started). */
export function portOpen(port: number, what: string): Promise<true> {
  return eventually(
    () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      }),
    { timeoutMs: 10_000, what },
  );
}
