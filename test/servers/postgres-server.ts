import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { freePort } from '../helpers/free-port.js';
import { eventually } from '../helpers/test-app.js';

// A throw-away PostgreSQL server for tests: Debian's binaries, a new data directory in /tmp, a free loopback
// port, durability switched off (the data dies with the test). PostgreSQL refuses to run as root, so as root
// it runs as Debian's `postgres` user.

/** The newest PostgreSQL Debian installed, e.g. /usr/lib/postgresql/15/bin. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  return path.join(root, newest, 'bin');
}

/** As root, PostgreSQL's programs run as Debian's `postgres` user; otherwise as whoever runs the tests. */
function owner(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

export interface PostgresServer {
  readonly port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** A new, empty database; returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown) and waits for it; `start` brings it back on the same data and port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server for good and removes its data. */
  close(): Promise<void>;
}

let databases = 0;

/**
 * Starts a PostgreSQL server for one test file. Tests run it without fsync (nothing there needs to survive a
 * power cut); `durable` keeps PostgreSQL's defaults, for benchmarks that compare it with SQLite.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wwb-pg-'));
  chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  const user = owner();
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const init = spawnSync(
    path.join(binDir(), 'initdb'),
    ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'],
    { encoding: 'utf8', cwd: dir, ...user },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;

  const start = async () => {
    const args = [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      ...(options.durable
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ];
    child = spawn(path.join(binDir(), 'postgres'), args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: dir,
      ...user,
    });
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    await eventually(
      async () => {
        if (child?.exitCode !== null) throw new Error(`postgres exited: ${log}`);
        const client = new pg.Client({ connectionString: url() });
        try {
          await client.connect();
          await client.end();
          return true;
        } catch {
          return false;
        }
      },
      { timeoutMs: 15_000, what: 'PostgreSQL to accept connections' },
    );
  };
  const stop = async () => {
    if (child === undefined || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await exited;
  };
  await start();
  return {
    port,
    url,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return url(name);
    },
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
