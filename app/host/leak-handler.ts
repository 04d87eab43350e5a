// The host's runLeakTest: one run at a time, against whatever is up; every verdict is stored and pushed
// as it arrives, so the dashboard fills in while slower tests still run.
import { BurrowError, type LeakVerdict, type Settings, type TunnelState } from '../domain/index.js';
import type { CommandHandlers } from '../contract/index.js';
import { baselineFromVerdicts, newerBaseline, runLeakSuite, type LeakBaseline, type TunnelInterrupter } from '../leaks/index.js';
import type { Store } from '../store/index.js';
import { buildLeakRun } from './leak-context.js';

export interface LeakHandlerDeps {
  store: Store;
  state(): TunnelState;
  settings(): Settings;
  onVerdict(verdict: LeakVerdict): void;
  log(level: 'info' | 'warn', message: string): void;
  /** The kill-switch probe's handle on the tunnel that is up; without one that test is not_tested. */
  tunnel?(state: TunnelState): TunnelInterrupter | undefined;
  /** The person's own address, learned while disconnected (see app/leaks/learn-baseline.ts). */
  learnedBaseline?(): LeakBaseline | undefined;
}

export function createLeakHandler(deps: LeakHandlerDeps): CommandHandlers['runLeakTest'] {
  let running = false;
  return async ({ tests, webrtcCandidates }) => {
    if (running) throw new BurrowError('conflict', 'The leak tests are already running; wait for them to finish.');
    running = true;
    try {
      const state = deps.state();
      const profile = 'target' in state && state.target ? deps.store.profiles.find(state.target.profileId) : undefined;
      const baseline = newerBaseline(baselineFromVerdicts(deps.store.results.leaks(200)), deps.learnedBaseline?.());
      const run = buildLeakRun(state, profile, deps.settings(), baseline, webrtcCandidates);
      const tunnel = deps.tunnel?.(state);
      deps.log('info', `Running leak tests against ${run.context.network ?? 'no tunnel'}.`);
      const verdicts = await runLeakSuite({
        leakServerUrl: deps.settings().leakServer.url,
        ...(deps.settings().leakServer.urlV6 ? { leakServerUrlV6: deps.settings().leakServer.urlV6 } : {}),
        context: run.context,
        ...(tests ? { tests } : {}),
        ...(run.socks5 ? { socks5: run.socks5 } : {}),
        ...(tunnel ? { tunnel } : {}),
        onVerdict: (verdict) => {
          deps.store.results.addLeak(verdict);
          deps.onVerdict(verdict);
          if (verdict.verdict === 'leaked') deps.log('warn', `Leak test ${verdict.test}: ${verdict.summary}`);
        },
      });
      return { verdicts };
    } finally {
      running = false;
    }
  };
}
