// The host's log: a bounded ring of recent lines (the Logs page), pushed as events, optionally mirrored
// to stderr for a headless host. Callers must never pass secrets; this is the last place to catch them.
import type { LogEntry } from '../domain/index.js';

export type LogLevel = LogEntry['level'];

const MAX_ENTRIES = 2000;
const MAX_MESSAGE = 4096;

export class LogBuffer {
  private readonly entries: LogEntry[] = [];
  private readonly listeners = new Set<(entry: LogEntry) => void>();

  constructor(private readonly mirror?: (line: string) => void) {}

  write(level: LogLevel, source: string, message: string): void {
    const entry: LogEntry = {
      at: new Date().toISOString(),
      level,
      source: source.slice(0, 64),
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message,
    };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.mirror?.(`${entry.at} ${level.toUpperCase()} [${entry.source}] ${entry.message}`);
    for (const listener of this.listeners) listener(entry);
  }

  recent(limit: number): LogEntry[] {
    return this.entries.slice(-limit);
  }

  onEntry(listener: (entry: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  scoped(source: string): (level: LogLevel, message: string) => void {
    return (level, message) => this.write(level, source, message);
  }
}
