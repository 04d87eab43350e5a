// The `smartConnect` command: walk the ladder over the person's profiles through the ordinary connect
// path (so the kill switch and the supervisor's one-attempt-at-a-time rule hold for every rung), remember
// per network what worked, and when the working path breaks mid-session fall back by itself and say so.
import type { SmartConnectResult } from '../contract/probe.js';
import { BurrowError, type TunnelState } from '../domain/index.js';
import type { StoredProfile } from '../supervisor/driver.js';
import { GOALS, RUNG_LABELS, ladderFor, type Goal, type Rung } from './ladder.js';
import { networkKey, type NetworkIdentity, type SmartMemory } from './memory.js';
import { profilesByRung, proxyOnlyRungs } from './rungs.js';
import { walkLadder, type SmartStep } from './walk.js';

/** How long one rung may take before the next is tried (Tor and Nym bootstrap; WireGuard does not). */
export const RUNG_TIMEOUT_MS: Record<Rung, number> = {
  wireguard: 15_000, 'wireguard-shadowsocks': 15_000, 'wireguard-vless': 15_000, tor: 60_000, 'tor-obfs4': 60_000, nym: 90_000,
};

export interface SmartDeps {
  profiles(): StoredProfile[];
  connect(profileId: string): Promise<TunnelState>;
  onState(listener: (state: TunnelState) => void): () => void;
  network(): NetworkIdentity;
  memory: SmartMemory;
  log(level: 'info' | 'warn', message: string): void;
  timeouts?: Partial<Record<Rung, number>>;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function createSmartConnect(deps: SmartDeps) {
  let session: { goal: Goal; rung: Rung; profileId: string } | undefined;
  let walking = false;

  const run = async (goal: Goal, lost?: Rung): Promise<SmartConnectResult> => {
    const profiles = deps.profiles();
    const byRung = profilesByRung(profiles);
    const available = new Set(byRung.keys());
    const onLadder = new Set(ladderFor(goal, new Set(Object.keys(RUNG_LABELS) as Rung[])));
    const proxyOnly = proxyOnlyRungs(profiles).filter((r) => onLadder.has(r));
    const missing = [...onLadder].filter((r) => !available.has(r) && !proxyOnly.includes(r));
    const proxyNote = proxyOnly.length === 0
      ? ''
      : ` Not tried, proxy mode only: ${proxyOnly.map((r) => RUNG_LABELS[r]).join(', ')} (proxy mode leaves every other program outside the kill switch while it tries; import the profile with Mode system to let Smart connect use it).`;
    if (available.size === 0 || ladderFor(goal, available).length === 0) {
      const need = goal === 'anonymous' ? 'Smart connect (most anonymous) needs a Tor or Nym profile' : 'Smart connect needs at least one WireGuard, Tor or Nym profile';
      throw new BurrowError('no_profile', proxyOnly.length > 0
        ? `${need} that carries every program.${proxyNote}`
        : `${need}. Import one first: burrow profile import FILE`);
    }
    if (proxyNote !== '') deps.log('info', proxyNote.trim());
    const key = networkKey(deps.network());
    walking = true;
    session = undefined;
    try {
      const steps: SmartStep[] = [];
      const outcome = await walkLadder({
        goal, available, networkKey: key, memory: deps.memory, ...(lost === undefined ? {} : { lost }),
        onStep: (step) => {
          steps.push(step);
          deps.log(step.status === 'blocked' ? 'warn' : 'info', step.sentence);
        },
        attempt: async (rung) => {
          const profile = byRung.get(rung);
          if (profile === undefined) return false;
          const state = await withTimeout(deps.connect(profile.id), deps.timeouts?.[rung] ?? RUNG_TIMEOUT_MS[rung]);
          return state !== 'timeout' && state.state === 'connected';
        },
      });
      const profile = outcome.rung === undefined ? undefined : byRung.get(outcome.rung);
      if (outcome.rung !== undefined && profile !== undefined) session = { goal, rung: outcome.rung, profileId: profile.id };
      const sentence = outcome.rung === undefined
        ? `Nothing Burrow has got through on this network (tried ${outcome.steps.filter((s) => s.status === 'blocked').length}).${missing.length > 0 ? ` Not tried, no profile: ${missing.map((r) => RUNG_LABELS[r]).join(', ')}.` : ''}${proxyNote}`
        : `Connected with ${RUNG_LABELS[outcome.rung]}${lost === undefined ? '' : ` after ${RUNG_LABELS[lost]} was blocked mid-session`}.`;
      return {
        goal, steps, missing, sentence,
        ...(proxyOnly.length === 0 ? {} : { proxyOnly }),
        ...(outcome.rung === undefined ? {} : { rung: outcome.rung }),
        ...(profile === undefined ? {} : { profile: profile.id }),
        ...(outcome.startedAt === undefined ? {} : { startedAt: outcome.startedAt }),
      };
    } finally {
      walking = false;
    }
  };

  // Mid-session: the working path fails (the supervisor reports an error for its profile) → walk on.
  deps.onState((state) => {
    const current = session;
    if (current === undefined || walking || state.state !== 'error' || state.target?.profileId !== current.profileId) return;
    deps.log('warn', `${RUNG_LABELS[current.rung]} stopped getting through; Smart connect falls back.`);
    run(current.goal, current.rung).then(
      (result) => deps.log(result.rung === undefined ? 'warn' : 'info', result.sentence),
      (err: unknown) => deps.log('warn', `Smart connect fallback failed: ${err instanceof Error ? err.message : String(err)}`),
    );
  });

  return ({ goal }: { goal?: Goal | undefined }): Promise<SmartConnectResult> => run(goal ?? GOALS[0]);
}
