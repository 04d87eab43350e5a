// A private network namespace for a UI test whose host does real networking (the leak tests resolve names
// through the system resolver): only loopback inside, a resolv.conf naming a resolver the test runs there,
// so not one packet can leave this machine. Needs root; removed afterwards, also after a failure.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateNetns {
  name: string;
  /** argv that runs `argv` inside the namespace. */
  wrap(argv: readonly string[]): string[];
  /** An executable that starts Chromium inside the namespace (for playwright's executablePath). */
  chromium: string;
  destroy(): void;
}

export function createPrivateNetns(): PrivateNetns {
  const name = `burrow-ui-${randomBytes(3).toString('hex')}`;
  const etc = join('/etc/netns', name);
  const dir = join(tmpdir(), name);
  // The resolv.conf must exist before anything enters the namespace (shared/LAB.md: else the host's own is used).
  mkdirSync(etc, { recursive: true });
  writeFileSync(join(etc, 'resolv.conf'), 'nameserver 127.0.0.1\n');
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  mkdirSync(dir, { recursive: true });
  const chromium = join(dir, 'chromium-in-netns');
  writeFileSync(chromium, `#!/bin/sh\nexec ip netns exec ${name} /usr/bin/chromium "$@"\n`);
  chmodSync(chromium, 0o755);
  return {
    name,
    wrap: (argv) => ['ip', 'netns', 'exec', name, ...argv],
    chromium,
    destroy() {
      try {
        execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' })
          .split('\n')
          .filter(Boolean)
          .forEach((pid) => {
            try {
              process.kill(Number(pid), 'SIGKILL');
            } catch {
              /* already gone */
            }
          });
      } catch {
        /* namespace already gone */
      }
      try {
        execFileSync('ip', ['netns', 'del', name]);
      } catch {
        /* already gone */
      }
      rmSync(etc, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
