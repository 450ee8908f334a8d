import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './free-port.js';
import { portOpen } from './port-open.js';

/** A coturn started by a test, and how to reach it. */
export interface Coturn {
  readonly port: number;
  readonly secret: string;
  /** TURN_URLS for a service that uses it. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Debian's coturn on loopback, configured as in deploy/turnserver.conf (credentials minted with a shared secret)
 * but for a test: loopback peers allowed, no TLS.
 */
export async function startCoturn(secret: string): Promise<Coturn> {
  const port = await freePort();
  const relayPorts = 40_000 + Math.floor(Math.random() * 20_000);
  const turnserver = spawn(
    'turnserver',
    [
      '-n',
      `--listening-port=${port}`,
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--min-port=${relayPorts}`,
      `--max-port=${relayPorts + 50}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      '--realm=test.local',
      '--fingerprint',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--no-multicast-peers',
      // Only because every peer is on loopback here; never in production (deploy/turnserver.conf denies it).
      '--allow-loopback-peers',
      '--log-file=stdout',
    ],
    { stdio: 'ignore' },
  );
  await portOpen(port, 'coturn to listen');
  return {
    port,
    secret,
    url: `turn:127.0.0.1:${port}?transport=udp`,
    stop: async () => {
      if (turnserver.exitCode !== null) return;
      turnserver.kill();
      await once(turnserver, 'exit');
    },
  };
}
