// The kill-switch probe's handle on a WireGuard tunnel (app/leaks' TunnelInterrupter), through netd:
// wgPause stops wireguard-go and lifts the tunnel's routing rules so only the firewall holds traffic in
// (native/netd/wireguard/pause.ts says why both), wgResume puts everything back, and the firewall's named
// counters come from firewallStatus. While paused netd answers wgStatus with the peers as they were, so the
// driver's health loop keeps seeing a live tunnel and the supervisor does not flap into error; a
// wireguard-go that really dies meanwhile still shows. Tor, Nym and dVPN in system-wide mode: netd stops the
// helper its redirect leads into (systemPause, native/netd/system-pause.ts); in proxy mode netd refuses.
import { BurrowError, type TunnelState } from '../domain/index.js';
import { MAX_SYSTEM_PAUSE_MS, MAX_WG_PAUSE_MS, NetdInterfaceNameSchema } from '../contract/index.js';
import type { TunnelInterrupter } from '../leaks/types.js';
import type { NetdClient } from './client.js';

export interface TunnelInterrupterOptions {
  /** netd resumes by itself after this, should the host never ask (it died mid-probe). */
  maxPauseMs?: number;
}

/** The interrupter for the tunnel in `state`, or undefined when nothing is connected. */
export function createTunnelInterrupter(netd: NetdClient, state: TunnelState, options: TunnelInterrupterOptions = {}): TunnelInterrupter | undefined {
  if (state.state !== 'connected') return undefined;
  if (state.target.network !== 'wireguard') return systemInterrupter(netd, options);
  const name = NetdInterfaceNameSchema.safeParse(state.details.interface);
  if (!name.success) return undefined;
  const ifname = name.data;
  const maxMs = Math.min(options.maxPauseMs ?? 20_000, MAX_WG_PAUSE_MS);
  const check = (signal: AbortSignal): void => {
    if (signal.aborted) throw new BurrowError('cancelled', 'The kill-switch probe was cancelled.');
  };
  return {
    async stopHelper(signal) {
      check(signal);
      const result = await netd.call('wgPause', { ifname, maxMs });
      if (!result.paused) throw new BurrowError('helper_failed', `netd did not pause ${ifname}.`);
    },
    async startHelper() {
      // Not cancellable: the probe calls this to bring the person back online whatever happened.
      await netd.call('wgResume', { ifname });
      await checkAlive(netd, ifname);
    },
    async counters(signal) {
      check(signal);
      return (await netd.call('firewallStatus', {})).counters;
    },
  };
}

/**
 * Tor, Nym and dVPN (issue 12 item 11): netd stops the helper its system-wide policy redirects into (tor, or
 * redsocks in front of the Nym or dVPN client), so only the redirect holds programs in. netd refuses unless
 * a system-wide policy is in place: in proxy mode the probe then says "not tested" with netd's reason.
 */
function systemInterrupter(netd: NetdClient, options: TunnelInterrupterOptions): TunnelInterrupter {
  const maxMs = Math.min(options.maxPauseMs ?? 20_000, MAX_SYSTEM_PAUSE_MS);
  return {
    async stopHelper(signal) {
      if (signal.aborted) throw new BurrowError('cancelled', 'The kill-switch probe was cancelled.');
      const result = await netd.call('systemPause', { maxMs });
      if (!result.paused) throw new BurrowError('helper_failed', 'netd did not pause the system-wide helper.');
    },
    async startHelper() {
      await netd.call('systemResume', {});
    },
    async counters(signal) {
      if (signal.aborted) throw new BurrowError('cancelled', 'The kill-switch probe was cancelled.');
      return (await netd.call('firewallStatus', {})).counters;
    },
  };
}

/** Resumed is not enough: wireguard-go must still be there to carry the person's traffic again. */
async function checkAlive(netd: NetdClient, ifname: string): Promise<void> {
  const status = await netd.call('wgStatus', { ifname });
  if (!status.exists || (status.process !== null && !status.process.alive)) {
    throw new BurrowError('helper_failed', `The tunnel ${ifname} did not survive the kill-switch probe; Burrow reconnects while the kill switch holds.`);
  }
}
