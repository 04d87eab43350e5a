// The host's half of tamper detection (issue 12 item 3): netd watches its own table and puts it back when
// something flushes or changes it; the host asks netd every few seconds how that went. A repair is told
// to the person (a log line and a notice); a table netd could not put back makes the supervisor apply the
// state's rules again through the normal path, and when that fails too the state leaves `connected`.
import type { NetdClient } from '../netd/client.js';

export interface FirewallWatchDeps {
  netd: NetdClient;
  /** Forget the last applied policy and enforce the current state's rules again (rejects when they fail). */
  reapply(): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  intervalMs?: number;
}

export interface FirewallWatch {
  /** What the person should know, until the table is as meant again. */
  readonly notice: string | undefined;
  /** One look (the timer calls this; tests call it directly). */
  check(): Promise<void>;
  stop(): void;
}

export function watchFirewall(deps: FirewallWatchDeps): FirewallWatch {
  let seenRepairs = 0;
  let notice: string | undefined;
  let busy = false;

  const check = async (): Promise<void> => {
    let status;
    try {
      status = await deps.netd.call('firewallStatus', {}, 5000);
    } catch {
      return; // netd away or restarting: the next state change fails closed by itself.
    }
    if (status.policyKind === 'none') {
      // A netd that has applied nothing in its run is a new netd (killed and started again, or restarted by
      // systemd): the kernel kept the old table, but netd does not know it, so its watch guards nothing, and
      // the enforcer would skip re-sending a policy it thinks is in place. A deleted table then stayed deleted
      // (the reliability suite's kill -9 of netd showed it). Apply the state's rules to the new netd.
      seenRepairs = 0;
      deps.log('warn', 'netd was restarted: Burrow applies the firewall rules for the current state again.');
      await deps.reapply().catch(() => undefined);
      return;
    }
    const watch = status.watch;
    if (watch === undefined) return;
    if (watch.repairs > seenRepairs) {
      const count = watch.repairs - seenRepairs;
      seenRepairs = watch.repairs;
      notice = `Something removed or changed Burrow's firewall rules (${watch.lastProblem ?? 'the table changed'}); netd put them back${count > 1 ? ` ${count} times` : ''}. A firewall service restarting (systemctl restart nftables) does this.`;
      deps.log('warn', notice);
    }
    if (watch.broken) {
      notice = `Burrow's firewall rules were removed from outside and netd could not put them back (${watch.lastProblem ?? 'unknown'}).`;
      deps.log('error', notice);
      await deps.reapply().catch(() => undefined);
    }
  };

  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void check().finally(() => {
      busy = false;
    });
  }, deps.intervalMs ?? 2000);
  timer.unref();

  return {
    get notice() {
      return notice;
    },
    check,
    stop: () => clearInterval(timer),
  };
}
