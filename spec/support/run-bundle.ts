import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Runs `node <args> <file> <payload>` as a Lambda runtime would load a bundle: a fresh
 * process in the bundle's folder, the local server's endpoint and dummy credentials in its
 * environment and nothing else, and resolves to what it printed on stdout, parsed as JSON.
 * Asynchronous: the child talks to servers running in this process.
 */
export function runBundle<T>(file: string, args: readonly string[], payload: unknown, endpoint: string): Promise<T> {
  const env = {
    PATH: process.env.PATH,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args, file, JSON.stringify(payload)], { cwd: path.dirname(file), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${path.basename(file)} exited ${code}: ${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout) as T);
    });
  });
}
