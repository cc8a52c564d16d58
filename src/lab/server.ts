// The lab server: a loopback TCP listener, served by this process while a script or shell runs,
// that answers the shims' calls from the session. Requests are handled one at a time, in order.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stderrAround, type Invocation } from './invocation';
import type { LabSession } from './session';
import { LAB_TOOLS, POD_TOOLS, shimScript } from './shims';

/** The environment variable that tells `meshsim kubectl|istioctl` a lab is running: `port:token:dir`. */
export const LAB_ENV = 'MESHSIM_LAB';

export interface LabServer {
  /** Private temp dir: `bin/` (goes first on PATH), `pod/`, `io/`. */
  dir: string;
  binDir: string;
  port: number;
  token: string;
  /** Variables to export to the script or shell. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Splits a buffer of NUL-terminated fields; undefined until the whole request arrived. */
export function parseRequest(buf: Buffer): { token: string; inv: Invocation; stdinPath: string } | undefined {
  const fields: string[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0) {
      fields.push(buf.subarray(start, i).toString('utf8'));
      start = i + 1;
    }
  }
  if (fields.length < 6) return undefined;
  const argc = Number(fields[5]);
  if (!Number.isInteger(argc) || fields.length < 6 + argc) return undefined;
  const [token, tool, cwd, pod, stdinPath] = fields as [string, string, string, string, string];
  return { token, stdinPath, inv: { tool, cwd, args: fields.slice(6, 6 + argc), ...(pod ? { pod } : {}) } };
}

export async function startLabServer(session: LabSession): Promise<LabServer> {
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-lab-'));
  const binDir = join(dir, 'bin');
  for (const d of [binDir, join(dir, 'pod'), join(dir, 'io')]) mkdirSync(d, { recursive: true });
  const token = randomBytes(16).toString('hex');
  let errSeq = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((sock: Socket) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    let buf = Buffer.alloc(0);
    let done = false;
    sock.on('data', (chunk) => {
      if (done) return;
      buf = Buffer.concat([buf, chunk]);
      const req = parseRequest(buf);
      if (!req) return;
      done = true;
      if (req.token !== token) {
        sock.destroy();
        return;
      }
      if (req.stdinPath !== '-') req.inv.stdin = readFileSync(req.stdinPath, 'utf8');
      const res = session.handle(req.inv);
      if (res.delegate) {
        sock.end(Buffer.concat([Buffer.from(`D ${res.delegate.pod} -\n`), Buffer.from(res.delegate.argv.map((a) => `${a}\0`).join(''))]));
        return;
      }
      // stderr goes aside in files, the part written before stdout (if any) in its own.
      const [before, after] = stderrAround(res);
      const aside = (text: string): string => {
        if (!text) return '-';
        const file = join(dir, 'io', `err.${++errSeq}`);
        writeFileSync(file, text);
        return file;
      };
      sock.end(`R ${res.exitCode} ${aside(after)} ${aside(before)}\n${res.stdout}`);
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const target = { dir, port, token };
  for (const tool of LAB_TOOLS) writeShim(join(binDir, tool), shimScript(tool, target));
  for (const tool of POD_TOOLS) writeShim(join(dir, 'pod', tool), shimScript(tool, target));
  return {
    dir,
    binDir,
    port,
    token,
    env: { [LAB_ENV]: `${port}:${token}:${dir}`, PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        for (const sock of open) sock.destroy();
      }),
  };
}

function writeShim(path: string, text: string): void {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}
