// Which helper programs this machine has and their versions (shown in the UI): found on PATH or in
// resources/bin/<platform> (the search itself is app/networks/helper/executables.ts). Each probe has a short deadline; a missing or hanging helper is reported, not fatal.
import { execFile } from 'node:child_process';
import type { HelperVersion } from '../contract/index.js';
import { findExecutable } from '../networks/helper/executables.js';

interface HelperProbe {
  name: string;
  args: string[];
  pattern: RegExp;
}

const PROBES: HelperProbe[] = [
  { name: 'wireguard-go', args: ['--version'], pattern: /v?(\d+\.\d+\.\d+)/ },
  { name: 'wg', args: ['--version'], pattern: /v(\d+\.\d+\.\d+)/ },
  { name: 'tor', args: ['--version'], pattern: /Tor version (\d+\.\d+\.\d+\.\d+)/ },
  { name: 'obfs4proxy', args: ['-version'], pattern: /(\d+\.\d+\.\d+)/ },
  { name: 'snowflake-client', args: ['-version'], pattern: /(\d+\.\d+\.\d+)/ },
  { name: 'nft', args: ['--version'], pattern: /v(\d+\.\d+\.\d+)/ },
  { name: 'ip', args: ['-V'], pattern: /iproute2-(\S+)/ },
];

function probe(helper: HelperProbe, extraDirs: string[]): Promise<HelperVersion> {
  const path = findExecutable(helper.name, extraDirs);
  if (!path) return Promise.resolve({ name: helper.name, found: false });
  return new Promise((resolve) => {
    execFile(path, helper.args, { timeout: 3000, env: { PATH: process.env.PATH ?? '', LANG: 'C' } }, (_error, stdout, stderr) => {
      const match = helper.pattern.exec(`${stdout}\n${stderr}`);
      resolve(match?.[1] ? { name: helper.name, found: true, path, version: match[1] } : { name: helper.name, found: true, path });
    });
  });
}

export function probeHelpers(extraDirs: string[] = []): Promise<HelperVersion[]> {
  return Promise.all(PROBES.map((helper) => probe(helper, extraDirs)));
}
