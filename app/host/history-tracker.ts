// Writes connection history from state changes: a row opens when an attempt starts, is marked when the
// tunnel comes up, and closes with its outcome when the state leaves the connection.
import type { TunnelState } from '../domain/index.js';
import type { HistoryRepo } from '../store/records-repo.js';

export class HistoryTracker {
  private openRow: { id: number; connected: boolean; profileId: string } | undefined;

  constructor(private readonly history: HistoryRepo) {}

  observe(next: TunnelState, now: string): void {
    if (next.state === 'connecting' && this.openRow?.profileId !== next.target.profileId) {
      this.close(now, 'cancelled', null);
      const id = this.history.start({
        network: next.target.network,
        profileId: next.target.profileId,
        profileName: next.target.profileName,
        startedAt: now,
      });
      this.openRow = { id, connected: false, profileId: next.target.profileId };
    } else if (next.state === 'connected' && this.openRow && !this.openRow.connected) {
      this.history.markConnected(this.openRow.id);
      this.openRow.connected = true;
    } else if (next.state === 'disconnecting' && next.next && this.openRow) {
      // A switch: the current connection ends here; the next one opens when it starts connecting.
      this.close(now, this.openRow.connected ? 'connected' : 'cancelled', null);
    } else if (next.state === 'disconnected') {
      this.close(now, this.openRow?.connected ? 'connected' : 'cancelled', null);
    } else if (next.state === 'error') {
      this.close(now, 'failed', next.cause.message);
    }
  }

  private close(now: string, outcome: 'connected' | 'failed' | 'cancelled', error: string | null): void {
    if (!this.openRow) return;
    this.history.finish(this.openRow.id, now, outcome, error);
    this.openRow = undefined;
  }
}
