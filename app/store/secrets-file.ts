// Profile secrets (private keys, passwords) live apart from the database, in one JSON file of mode 0600,
// written atomically. Nothing here logs or returns them to a front door.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

type SecretMap = Record<string, Record<string, string>>;

export class SecretsFile {
  private secrets: SecretMap = {};
  /** Set when an unreadable file had to be moved aside. */
  readonly recovered: { movedTo: string; reason: string } | undefined;

  constructor(
    private readonly path: string,
    now: () => Date = () => new Date(),
  ) {
    if (!existsSync(path)) return;
    try {
      chmodSync(path, 0o600);
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      this.secrets = parsed as SecretMap;
    } catch (error) {
      const movedTo = `${path}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(path, movedTo);
      this.recovered = { movedTo, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  get(profileId: string): Record<string, string> {
    return { ...(this.secrets[profileId] ?? {}) };
  }

  set(profileId: string, values: Record<string, string>): void {
    this.secrets[profileId] = { ...values };
    this.flush();
  }

  remove(profileId: string): void {
    if (!(profileId in this.secrets)) return;
    delete this.secrets[profileId];
    this.flush();
  }

  private flush(): void {
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.secrets), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }
}
