// systemd-resolved (Debian/Ubuntu desktops: resolv.conf is its stub; Fedora: glibc asks it through
// nss-resolve and never reads resolv.conf). Writing resolv.conf does nothing here, so the tunnel's servers go
// to resolved itself over D-Bus (resolvectl is its D-Bus client), as Mullvad's talpid-dns does: on the tunnel
// link, SetLinkDNS, the routing-only domain `~.` (every name goes to this link rather than to the physical
// one), DefaultRoute, and DNS-over-TLS, LLMNR and mDNS off for it. The link's settings vanish with the link.
// Without a tunnel link (system-wide Tor or dVPN redirect DNS to a local resolver) the servers become
// resolved's global DNS with `~.`, through a drop-in in /run (gone at reboot) and a reload.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runner } from '../exec.js';
import type { BackupStore } from './backup.js';

export const RESOLVED_DROP_IN_DIR = '/run/systemd/resolved.conf.d';
const DROP_IN = 'zz-burrow.conf';

export class ResolvedDns {
  constructor(
    private readonly run: Runner,
    private readonly store: BackupStore,
    private readonly dropInDir = RESOLVED_DROP_IN_DIR,
  ) {}

  async set(link: string | undefined, servers: readonly string[], search: readonly string[]): Promise<void> {
    const domains = ['~.', ...search];
    if (link === undefined) {
      await this.setGlobal(servers, domains);
      return;
    }
    // Saved first: a crash half-way still leaves a record of what to revert.
    this.store.save({ kind: 'systemd-resolved', path: `link:${link}`, original: '', written: servers.join(' ') });
    await this.run('resolvectl', ['dns', link, ...servers]);
    await this.run('resolvectl', ['domain', link, ...domains]);
    await this.run('resolvectl', ['default-route', link, 'yes']);
    for (const setting of ['dnsovertls', 'llmnr', 'mdns']) await this.run('resolvectl', [setting, link, 'no'], { allowFailure: true });
  }

  /** Whether resolved still has the tunnel's servers on the link (a restart of resolved may drop them). */
  async holds(link: string, servers: readonly string[]): Promise<boolean> {
    const shown = await this.run('resolvectl', ['dns', link], { allowFailure: true });
    return shown.code === 0 && servers.every((server) => shown.stdout.includes(server));
  }

  async restore(): Promise<boolean> {
    const backup = this.store.read();
    if (backup?.kind !== 'systemd-resolved') return false;
    if (backup.path.startsWith('link:')) {
      // The link may be gone already (tunnel down first): then resolved forgot it by itself.
      await this.run('resolvectl', ['revert', backup.path.slice('link:'.length)], { allowFailure: true });
    } else {
      rmSync(join(this.dropInDir, DROP_IN), { force: true });
      await this.reload();
    }
    this.store.clear();
    return true;
  }

  private async setGlobal(servers: readonly string[], domains: readonly string[]): Promise<void> {
    this.store.save({ kind: 'systemd-resolved', path: `drop-in:${join(this.dropInDir, DROP_IN)}`, original: '', written: servers.join(' ') });
    mkdirSync(this.dropInDir, { recursive: true, mode: 0o755 });
    const text = ['# Written by Burrow netd while system-wide mode is on; removed on disconnect.', '[Resolve]', `DNS=${servers.join(' ')}`, `Domains=${domains.join(' ')}`, 'DNSOverTLS=no', 'LLMNR=no', 'MulticastDNS=no', ''];
    writeFileSync(join(this.dropInDir, DROP_IN), text.join('\n'), { mode: 0o644 });
    await this.reload();
  }

  private async reload(): Promise<void> {
    await this.run('systemctl', ['try-reload-or-restart', 'systemd-resolved.service']);
  }
}
