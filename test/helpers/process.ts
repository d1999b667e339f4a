/** Starts the real server (src/server/main.ts) as a child process, as `npm start` does. */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

const running = new Set<ServerProcess>();

/** Kills every server a test started and did not stop (a failing assertion must not leave one running). */
export async function stopAllServers() {
  await Promise.all(
    [...running].map(async (s) => {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
      await s.exited;
    }),
  );
  running.clear();
}

export function startServer(env: Record<string, string | undefined>, port: number): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', JOBS: 'on', ...env, PORT: String(port) } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const server: ServerProcess = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  running.add(server);
  void exited.then(() => running.delete(server));
  return server;
}

export async function waitReady(s: ServerProcess, timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (s.child.exitCode !== null) throw new Error(`server exited ${s.child.exitCode}: ${s.output()}`);
    try {
      const r = await fetch(`${s.url}/readyz`);
      if (r.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready: ${s.output()}`);
}

/** A minimal cookie-jar HTTP client for a running server. */
export class HttpClient {
  private jar = new Map<string, string>();
  constructor(private readonly base: string) {}
  private absorb(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value) this.jar.set(name, value);
      else this.jar.delete(name);
    }
  }
  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    if (method !== 'GET' && !this.jar.has('miaopu_csrf')) await this.request('GET', '/api/v1/auth/csrf');
    const form = body instanceof FormData;
    const res = await fetch(this.base + url, {
      method,
      headers: {
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}),
        ...(method !== 'GET' ? { 'x-csrf-token': this.jar.get('miaopu_csrf') ?? '' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : form ? (body as FormData) : JSON.stringify(body),
    });
    this.absorb(res);
    return res;
  }
}
