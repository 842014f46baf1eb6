/** Runs the controller as a real separate process (`controller/main.ts`), to kill it and start another. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ControllerProcess {
  child: ChildProcess;
  output: () => string;
  /** Ends it like a crash: SIGKILL, no shutdown, no final flush. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `controller/main.ts` and resolves once it prints its addresses. */
export function startControllerProcess(env: Record<string, string>): Promise<ControllerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'controller/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, LOA_DEMO: '0', LOA_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: ControllerProcess = {
    child,
    output: () => out,
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('API docs')) resolve(proc);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`controller exited (${code}) before it was ready:\n${out}`)));
  });
}
