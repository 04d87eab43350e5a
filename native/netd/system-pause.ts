// The kill-switch probe's interruption for the system-wide networks (issue 12 item 11): the helper that
// carries every program's traffic — tor, or redsocks in front of the Nym or dVPN client — is stopped with
// SIGSTOP for a few seconds: hung, as a wedged process is, its sockets and state kept so it carries on in
// milliseconds. The firewall's redirect then leads into a process that does not answer, and whatever gets
// out on the wire meanwhile is a leak. netd resumes by itself after maxMs (a host that dies mid-probe must
// not leave the person offline), and before the helper is stopped for good (a stopped process would hold
// SIGTERM until it is continued).
import type { SystemPauseResult } from '../../app/contract/index.js';
import type { Logger } from './log.js';
import { stopOrContinue } from './stop-continue.js';

export interface PauseHelper {
  name: 'tor' | 'redsocks';
  pid: number;
}

export class SystemPauses {
  private paused: { helper: PauseHelper; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly logger: Logger) {}

  pause(helper: PauseHelper, maxMs: number): SystemPauseResult {
    if (this.paused !== undefined) return describe(this.paused.helper, true);
    // A pid that was never a process: as root, -1 is every process on the machine, 0 the whole group.
    if (!Number.isInteger(helper.pid) || helper.pid <= 0) return describe(undefined, false);
    if (!stopOrContinue(helper.pid, 'SIGSTOP')) return describe(undefined, false);
    const timer = setTimeout(() => {
      this.logger.log('warn', 'kill-switch probe pause ran out; resuming the system-wide helper by itself', { helper: helper.name, maxMs });
      this.resume();
    }, maxMs);
    timer.unref();
    this.paused = { helper, timer };
    this.logger.log('info', 'system-wide helper paused for the kill-switch probe', { helper: helper.name, pid: helper.pid });
    return describe(helper, true);
  }

  resume(): SystemPauseResult {
    const entry = this.paused;
    if (entry === undefined) return describe(undefined, false);
    this.paused = undefined;
    clearTimeout(entry.timer);
    stopOrContinue(entry.helper.pid, 'SIGCONT');
    this.logger.log('info', 'system-wide helper resumed after the kill-switch probe', { helper: entry.helper.name, pid: entry.helper.pid });
    return describe(entry.helper, false);
  }
}

function describe(helper: PauseHelper | undefined, paused: boolean): SystemPauseResult {
  return { paused, helper: helper?.name ?? null, helperPid: helper?.pid ?? null };
}
