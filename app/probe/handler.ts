// The `probe` command: runs the probe over the stored profiles, only while nothing is connected and the
// kill switch is not locking everything down (the probe measures the network as it is without Burrow;
// inside a tunnel or behind lockdown it would measure Burrow itself and report that as censorship).
import { BurrowError, type TunnelState } from '../domain/index.js';
import type { ProbeVerdict } from '../contract/probe.js';
import type { StoredProfile } from '../supervisor/driver.js';
import { probeProfiles, type ProbeOptions } from './probe-profiles.js';

export interface ProbeDeps {
  profiles(): { id: string }[];
  find(idOrName: string): StoredProfile | undefined;
  state(): TunnelState;
  lockdown(): boolean;
  log(level: 'info' | 'warn', message: string): void;
  options?: ProbeOptions;
}

export function createProbeHandler(deps: ProbeDeps) {
  return async ({ profile }: { profile?: string | undefined }): Promise<{ verdicts: ProbeVerdict[] }> => {
    const state = deps.state();
    if (state.state !== 'disconnected') {
      throw new BurrowError('conflict', 'The probe tests this network without Burrow: disconnect first (it would otherwise test the tunnel).');
    }
    if (deps.lockdown()) {
      throw new BurrowError('conflict', 'Lockdown blocks all traffic outside a tunnel, the probe\'s too: turn lockdown off to probe this network.');
    }
    const wanted = profile === undefined ? deps.profiles().map((p) => deps.find(p.id)) : [deps.find(profile)];
    if (profile !== undefined && wanted[0] === undefined) throw new BurrowError('not_found', `There is no profile "${profile}".`);
    const verdicts = await probeProfiles(wanted.filter((p): p is StoredProfile => p !== undefined), deps.options);
    for (const v of verdicts) deps.log(v.outcome === 'blocked' ? 'warn' : 'info', `${v.profile} ${v.transport}: ${v.sentence}`);
    return { verdicts };
  };
}
