// The system's own resolver configuration while Burrow has replaced it, kept where it survives a crash
// and a power loss (netd's persistent directory, /var/lib/burrow/dns by default, root 0700): which case
// replaced it, the file's original content, and what Burrow wrote, so that a netd started after an unclean
// stop can tell whether the file still holds Burrow's text (then it puts the original back) or the system
// has rewritten it since (then the system's is the truth and the backup is dropped).
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const BackupSchema = z.object({
  kind: z.enum(['systemd-resolved', 'network-manager', 'static-file']),
  /**
   * static-file: the file and its content before Burrow; systemd-resolved: the link or drop-in set;
   * network-manager: NetworkManager's global DNS configuration before Burrow, as busctl printed it.
   */
  path: z.string(),
  original: z.string(),
  written: z.string(),
});
export type DnsBackup = z.infer<typeof BackupSchema>;

export class BackupStore {
  private readonly file: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || (stat.mode & 0o077) !== 0) throw new Error(`${dir} must be a directory closed to other users (0700)`);
    this.file = join(dir, 'backup.json');
  }

  read(): DnsBackup | undefined {
    try {
      const parsed = BackupSchema.safeParse(JSON.parse(readFileSync(this.file, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  save(backup: DnsBackup): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, `${JSON.stringify(backup)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }
}
