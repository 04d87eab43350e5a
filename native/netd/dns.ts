// The system resolver while a tunnel is up: resolv.conf rewritten to name the tunnel's DNS, and put back
// afterwards. Written in place (truncate and write), never replaced by a rename: on a machine where
// /etc/resolv.conf is a bind mount (network namespaces, containers) a rename fails or, worse, lands on the
// wrong file. The original is kept in netd's state directory, so a restart of netd can still restore it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class ResolverConfig {
  private readonly backup: string;

  constructor(
    private readonly resolvConf: string,
    stateDir: string,
  ) {
    this.backup = join(stateDir, 'resolv.conf.orig');
  }

  set(servers: readonly string[], search: readonly string[]): void {
    // Only the first set keeps the original: a second tunnel's set must not save the first tunnel's file.
    if (!existsSync(this.backup)) writeFileSync(this.backup, this.read(), { mode: 0o600 });
    const lines = ['# Written by Burrow netd while a tunnel is up; the original comes back on disconnect.'];
    if (search.length > 0) lines.push(`search ${search.join(' ')}`);
    for (const server of servers) lines.push(`nameserver ${server}`);
    writeFileSync(this.resolvConf, `${lines.join('\n')}\n`);
  }

  restore(): boolean {
    if (!existsSync(this.backup)) return false;
    writeFileSync(this.resolvConf, readFileSync(this.backup));
    rmSync(this.backup);
    return true;
  }

  private read(): string {
    try {
      return readFileSync(this.resolvConf, 'utf8');
    } catch {
      return '';
    }
  }
}
