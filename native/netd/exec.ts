// Running the system tools netd drives (ip, nft, wg, sysctl): execFile, never a shell, a fixed environment,
// a time limit, and input over stdin. Failures carry the tool's own words, which never include stdin.
import { execFile } from 'node:child_process';
import { BurrowError } from '../../app/domain/index.js';

export const TOOL_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C',
};

export interface ToolResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  /** Resolve with the result instead of rejecting on a non-zero exit. */
  allowFailure?: boolean;
  /** Run as this user (netd has CAP_SETUID/CAP_SETGID); both or neither. */
  as?: { uid: number; gid: number };
}

export type Runner = (file: string, args: readonly string[], options?: RunOptions) => Promise<ToolResult>;

export const runTool: Runner = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: TOOL_ENV, timeout: options.timeoutMs ?? 10_000, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8', ...(options.as === undefined ? {} : { uid: options.as.uid, gid: options.as.gid }) },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        if (error !== null && (code === -1 || options.allowFailure !== true)) {
          const why = error.killed ? 'timed out' : code === -1 ? error.message : `exit ${code}`;
          const said = stderr.trim().split('\n').slice(0, 3).join(' / ');
          reject(new BurrowError('helper_failed', `${file} ${args.slice(0, 6).join(' ')} failed (${why})${said ? `: ${said}` : ''}`));
          return;
        }
        resolve({ stdout, stderr, code });
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
