// The kill-switch probe's handle on a WireGuard tunnel (app/leaks' TunnelInterrupter), through netd:
// wgPause stops wireguard-go and lifts the tunnel's routing rules so only the firewall holds traffic in
// (native/netd/wireguard/pause.ts says why both), wgResume puts everything back, and the firewall's named
// counters come from firewallStatus. While paused netd answers wgStatus with the peers as they were, so the
// driver's health loop keeps seeing a live tunnel and the supervisor does not flap into error; a
// wireguard-go that really dies meanwhile still shows.
import { BurrowError, type TunnelState } from '../domain/index.js';
import { MAX_WG_PAUSE_MS, NetdInterfaceNameSchema } from '../contract/index.js';
import type { TunnelInterrupter } from '../leaks/types.js';
import type { NetdClient } from './client.js';

export interface TunnelInterrupterOptions {
  /** netd resumes by itself after this, should the host never ask (it died mid-probe). */
  maxPauseMs?: number;
}

/** The interrupter for the tunnel in `state`, or undefined when no WireGuard tunnel is connected. */
export function createTunnelInterrupter(netd: NetdClient, state: TunnelState, options: TunnelInterrupterOptions = {}): TunnelInterrupter | undefined {
  if (state.state !== 'connected' || state.target.network !== 'wireguard') return undefined;
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

/** Resumed is not enough: wireguard-go must still be there to carry the person's traffic again. */
async function checkAlive(netd: NetdClient, ifname: string): Promise<void> {
  const status = await netd.call('wgStatus', { ifname });
  if (!status.exists || (status.process !== null && !status.process.alive)) {
    throw new BurrowError('helper_failed', `The tunnel ${ifname} did not survive the kill-switch probe; Burrow reconnects while the kill switch holds.`);
  }
}
