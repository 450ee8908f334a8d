import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/free-port.js';
import { portOpen } from '../helpers/port-open.js';

/** nginx running deploy/nginx-site.conf in front of the given service ports, with a self-signed certificate. */
export interface NginxServer {
  /** https://127.0.0.1:<port> */
  readonly baseUrl: string;
  readonly httpPort: number;
  /** The site configuration as nginx runs it. */
  readonly siteConfig: string;
  accessLog(): string;
  /** POSTs through nginx over https, trusting its certificate; resolves with the status, 0 when refused. */
  post(pathname: string, headers: Record<string, string>, body: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * deploy/nginx-site.conf as shipped, with only the host, ports, certificate and log paths made local; with
 * several service ports, the upstream lists each as the file's comment says.
 */
function localSiteConfig(workDir: string, tlsPort: number, httpPort: number, appPorts: number[]): string {
  const upstream =
    appPorts.length === 1
      ? `server 127.0.0.1:${appPorts[0]};`
      : appPorts.map((port) => `server 127.0.0.1:${port} max_fails=1 fail_timeout=5s;`).join('\n    ');
  return readFileSync(new URL('../../deploy/nginx-site.conf', import.meta.url), 'utf8')
    .replace(/^\s*listen \[::\].*$/gm, '')
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
    .replaceAll('call.example.com', '127.0.0.1')
    .replace(/^(\s*)server 127\.0\.0\.1:8000;/m, `$1${upstream}`)
    .replace(/\/etc\/letsencrypt\/live\/127\.0\.0\.1\/fullchain\.pem/, path.join(workDir, 'cert.pem'))
    .replace(/\/etc\/letsencrypt\/live\/127\.0\.0\.1\/privkey\.pem/, path.join(workDir, 'key.pem'))
    .replace('/var/log/nginx/whatsapp-webrtc-bot.access.log', path.join(workDir, 'access.log'));
}

function selfSignedCertificate(workDir: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(workDir, 'key.pem'),
      '-out',
      path.join(workDir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
}

export async function startNginx(appPorts: number[]): Promise<NginxServer> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'wwb-nginx-'));
  selfSignedCertificate(workDir);
  const [tlsPort, httpPort] = [await freePort(), await freePort()];
  const siteConfig = localSiteConfig(workDir, tlsPort, httpPort, appPorts);
  writeFileSync(path.join(workDir, 'site.conf'), siteConfig);
  writeFileSync(
    path.join(workDir, 'nginx.conf'),
    `user root;
daemon off;
pid ${workDir}/nginx.pid;
error_log ${workDir}/error.log;
events {}
http {
  client_body_temp_path ${workDir}/client;
  proxy_temp_path ${workDir}/proxy;
  fastcgi_temp_path ${workDir}/fastcgi;
  uwsgi_temp_path ${workDir}/uwsgi;
  scgi_temp_path ${workDir}/scgi;
  include ${workDir}/site.conf;
}
`,
  );
  const nginx = spawn('nginx', ['-p', workDir, '-c', path.join(workDir, 'nginx.conf')], { stdio: 'ignore' });
  await portOpen(tlsPort, 'nginx to listen');
  const agent = new Agent({
    ca: readFileSync(path.join(workDir, 'cert.pem')),
    keepAlive: true,
    maxSockets: 32,
  });
  return {
    baseUrl: `https://127.0.0.1:${tlsPort}`,
    httpPort,
    siteConfig,
    accessLog: () => readFileSync(path.join(workDir, 'access.log'), 'utf8'),
    post: (pathname, headers, body) =>
      new Promise((resolve) => {
        const outgoing = request(
          { host: '127.0.0.1', port: tlsPort, path: pathname, method: 'POST', headers, agent },
          (response) => {
            response.resume();
            response.on('end', () => resolve(response.statusCode ?? 0));
          },
        );
        outgoing.on('error', () => resolve(0));
        outgoing.end(body);
      }),
    async stop() {
      agent.destroy();
      nginx.kill('SIGQUIT');
      if (nginx.exitCode === null) await once(nginx, 'exit');
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
