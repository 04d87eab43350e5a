// The censorship detector as a pure function of bootstrap events and the clock: blocked while still
// reaching for the first relay, a plain timeout later on, done at 100%.
import { describe, expect, it } from 'vitest';
import { BLOCKED_SENTENCE, BootstrapWatch, BRIDGES_BLOCKED_SENTENCE, isReachPhase } from '../../../../app/networks/tor/bootstrap-watch.js';
import { parseBootstrapProgress, type BootstrapProgress } from '../../../../app/networks/tor/control/index.js';

const OPTIONS = { stallMs: 30_000, problemAfterMs: 10_000, overallMs: 180_000 };

function status(line: string): BootstrapProgress {
  const parsed = parseBootstrapProgress(line);
  if (parsed === undefined) throw new Error(`not a bootstrap line: ${line}`);
  return parsed;
}

const STARTING = status('NOTICE BOOTSTRAP PROGRESS=0 TAG=starting SUMMARY="Starting"');
const CONN = status('NOTICE BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting to a relay"');
const HANDSHAKE_DONE = status('NOTICE BOOTSTRAP PROGRESS=15 TAG=handshake_done SUMMARY="Handshake with a relay done"');
const LOADING = status('NOTICE BOOTSTRAP PROGRESS=60 TAG=loading_descriptors SUMMARY="Loading relay descriptors"');
const AP_CONN = status('NOTICE BOOTSTRAP PROGRESS=80 TAG=ap_conn SUMMARY="Connecting to a relay to build circuits"');
const DONE = status('NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"');
const PROBLEM = (recommendation: string, reason = 'TIMEOUT'): BootstrapProgress =>
  status(
    `WARN BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY="Connecting to a relay" WARNING="Connection timed out" REASON=${reason} COUNT=4 RECOMMENDATION=${recommendation} HOST=$AAAA0000AAAA0000AAAA0000AAAA0000AAAA0000 HOSTADDR=10.1.4.11:9001`,
  );

describe('isReachPhase', () => {
  it('connecting and handshaking phases (direct, through a transport or a proxy, for directory or circuits) count; later ones do not', () => {
    for (const tag of ['starting', 'conn_pt', 'conn_done_pt', 'conn_proxy', 'conn', 'conn_done', 'handshake', 'ap_conn', 'ap_conn_pt', 'ap_handshake']) expect(isReachPhase(tag)).toBe(true);
    for (const tag of ['handshake_done', 'onehop_create', 'requesting_status', 'loading_descriptors', 'enough_dirinfo', 'ap_handshake_done', 'circuit_create', 'done']) expect(isReachPhase(tag)).toBe(false);
  });
});

describe('BootstrapWatch', () => {
  it('is done at 100%, whatever came before', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    expect(watch.observe(STARTING, 10).kind).toBe('waiting');
    expect(watch.observe(CONN, 500).kind).toBe('waiting');
    expect(watch.observe(DONE, 3000)).toEqual({ kind: 'done' });
    expect(watch.check(1_000_000)).toEqual({ kind: 'done' });
  });

  it('stuck at "conn" without bridges for the stall time: blocked_by_censor with the bridge advice and evidence', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    watch.observe(CONN, 1000);
    expect(watch.check(30_999).kind).toBe('waiting');
    const verdict = watch.check(31_000);
    expect(verdict.kind).toBe('failed');
    if (verdict.kind !== 'failed') return;
    expect(verdict.error.code).toBe('blocked_by_censor');
    expect(verdict.error.message).toBe(BLOCKED_SENTENCE);
    expect(verdict.error.message).toBe('Tor is blocked here: try a bridge (Settings → Tor → bridges, or import a profile with bridge lines)');
    expect(verdict.error.evidence).toMatchObject({ progress: 5, phase: 'conn', secondsWithoutProgress: 30, bridges: false, trigger: 'stalled' });
  });

  it('with bridges, the same stall says the bridges are blocked too', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: true }, 0);
    watch.observe(status('NOTICE BOOTSTRAP PROGRESS=1 TAG=conn_pt SUMMARY="Connecting to pluggable transport"'), 100);
    const verdict = watch.check(40_000);
    expect(verdict.kind === 'failed' && verdict.error.code).toBe('blocked_by_censor');
    expect(verdict.kind === 'failed' && verdict.error.message).toBe(BRIDGES_BLOCKED_SENTENCE);
  });

  it('nothing at all from tor (not even "starting") for the stall time is blocked too', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    expect(watch.check(30_000).kind).toBe('failed');
  });

  it("tor's own warn-level problem report decides sooner, but not before problemAfterMs", () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    watch.observe(CONN, 100);
    expect(watch.observe(PROBLEM('ignore'), 2000).kind).toBe('waiting');
    expect(watch.observe(PROBLEM('warn'), 5000).kind).toBe('waiting');
    const verdict = watch.check(10_000);
    expect(verdict.kind === 'failed' && verdict.error.code).toBe('blocked_by_censor');
    expect(verdict.kind === 'failed' && verdict.error.evidence).toMatchObject({ trigger: 'problem', problemReports: 2, lastProblem: { reason: 'TIMEOUT', count: 4 } });
  });

  it('problem reports do not count as progress (their PROGRESS is where tor stands, not a step forward)', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    watch.observe(CONN, 0);
    for (let t = 1000; t < 30_000; t += 1000) watch.observe(PROBLEM('ignore'), t);
    expect(watch.check(30_000).kind).toBe('failed');
  });

  it('NOROUTE means no network at all, not a censor', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    watch.observe(CONN, 0);
    watch.observe(PROBLEM('warn', 'NOROUTE'), 11_000);
    const verdict = watch.check(11_000);
    expect(verdict.kind === 'failed' && verdict.error.code).toBe('network_unavailable');
  });

  it('a stall after the first handshake is not censorship: it waits for the overall timeout', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    watch.observe(CONN, 100);
    watch.observe(HANDSHAKE_DONE, 900);
    watch.observe(LOADING, 2000);
    expect(watch.check(100_000).kind).toBe('waiting');
    const verdict = watch.check(180_000);
    expect(verdict.kind === 'failed' && verdict.error.code).toBe('timeout');
    expect(verdict.kind === 'failed' && verdict.error.message).toBe('Tor did not finish connecting in 180 s; it stopped at 60% (Loading relay descriptors).');
  });

  it('a warm start (cached consensus) stuck at ap_conn is blocked: circuits cannot reach a relay', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    watch.observe(AP_CONN, 200);
    expect(watch.check(30_000).kind).toBe('waiting');
    expect(watch.check(30_200).kind).toBe('failed');
  });

  it('progress restarts the stall clock', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    watch.observe(STARTING, 0);
    watch.observe(CONN, 25_000);
    expect(watch.check(50_000).kind).toBe('waiting');
    expect(watch.check(55_000).kind).toBe('failed');
  });

  it('a verdict is final', () => {
    const watch = new BootstrapWatch({ ...OPTIONS, hasBridges: false }, 0);
    const failed = watch.check(40_000);
    expect(watch.observe(DONE, 41_000)).toBe(failed);
  });
});
