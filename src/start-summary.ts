import type { Config } from './config.js';

/** What the operator should know at start: warnings for the log, and lines for a person at a terminal. */
export interface StartSummary {
  readonly warnings: readonly string[];
  readonly lines: readonly string[];
}

/**
 * The start summary for `config`, listening at `address`. In sandbox mode it says where to try the bot; with a
 * token it names the number, and warns about a public address that phones cannot use for calls. It points to the
 * dashboard, and says how to open it when no operator password is set.
 */
export function startSummary(
  config: Config,
  address: string,
  operator: { passwordSet: boolean } = { passwordSet: true },
): StartSummary {
  const warnings: string[] = [];
  const base = config.publicBaseUrl;
  const lines = [`whatsapp-webrtc-bot ${address}`];
  if (config.whatsapp.mode === 'sandbox') {
    lines.push(
      'Modo sandbox: no hay WHATSAPP_TOKEN, nada sale a WhatsApp. / Sandbox mode: no WHATSAPP_TOKEN, nothing goes to WhatsApp.',
      ...(config.lines.length > 1
        ? [`Líneas / Lines: ${config.lines.map((line) => line.displayName ?? line.id).join(', ')}`]
        : []),
      `Prueba el bot / Try the bot: ${base}/sandbox`,
      'Escribe / Write: videollamada +57 300 444 5566',
      'Desde un teléfono, la cámara necesita https (docs/deployment.md). / From a phone, the camera needs https (docs/deployment.md).',
    );
  } else {
    lines.push(
      ...config.lines.map(
        (line) =>
          `WhatsApp Cloud API, línea / line ${line.id}: número / number ${line.phoneNumberId}` +
          (line.displayName === undefined ? '' : ` (${line.displayName})`),
      ),
      `Webhook: ${base}/webhook (campo / field "messages")`,
    );
    if (!base.startsWith('https://')) {
      warnings.push(
        `PUBLIC_BASE_URL is ${base}, not https: WhatsApp shows plain links instead of Join buttons, and phone ` +
          'browsers open the camera and microphone only on https pages. Put the service behind TLS ' +
          '(docs/deployment.md) and set PUBLIC_BASE_URL to its https address.',
      );
    }
  }
  lines.push(storageLine(config));
  if (config.iceServers.length === 0 && config.turn === undefined) {
    warnings.push('No STUN or TURN servers: calls connect only between devices on the same network.');
  }
  lines.push(
    `Panel / Dashboard: ${base}/admin` +
      (operator.passwordSet
        ? ''
        : ' (sin contraseña aún / no password yet: npm run operator -- set-password)'),
  );
  lines.push(`Salud / Health: ${base}/readyz`);
  return { warnings, lines };
}

/** Where the state lives, the addresses without user or password. */
function storageLine(config: Config): string {
  const where = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  };
  const durable =
    config.databaseUrl === undefined ? `SQLite ${config.dataDir}` : `PostgreSQL ${where(config.databaseUrl)}`;
  const live =
    config.redisUrl === undefined
      ? 'en memoria, una instancia / in memory, one instance'
      : `Redis ${where(config.redisUrl)}`;
  return `Datos / Data: ${durable} · Señalización / Signaling: ${live}`;
}
