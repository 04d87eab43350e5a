// What a helper printed, as drivers read it: each line cleaned of terminal colours, the last ones kept for
// error messages, and passed to whoever listens as it comes. One of these per helper, whether the host
// reads the program's pipes itself (process.ts) or reads its lines from netd (netd-launcher.ts).
export class HelperLines {
  private readonly lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();

  constructor(private readonly keep: number) {}

  push(line: string): void {
    // eslint-disable-next-line no-control-regex -- terminal colour codes are noise in Burrow's log
    const clean = line.replace(/\r$/, '').replace(/\u001b\[[0-9;]*m/g, '');
    if (clean.trim().length === 0) return;
    this.lines.push(clean.slice(0, 1000));
    if (this.lines.length > this.keep) this.lines.splice(0, this.lines.length - this.keep);
    for (const listener of this.listeners) listener(clean);
  }

  /** The last lines the program printed. */
  recent(count = 20): string[] {
    return this.lines.slice(-count);
  }

  /** Every line kept so far (for searching what the program said). */
  all(): readonly string[] {
    return this.lines;
  }

  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
