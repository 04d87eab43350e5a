// What netd changed on the system, kept on disk (mode 0600, root's directory) so that a netd restarted
// after a crash can undo tunnels it no longer has in memory, and can still restore the resolver.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const TunnelRecordSchema = z.object({
  ifname: z.string(),
  table: z.number().int(),
  implementation: z.enum(['kernel', 'userspace']),
  pid: z.number().int().nullable(),
});
export type TunnelRecord = z.infer<typeof TunnelRecordSchema>;

const StateSchema = z.object({ tunnels: z.array(TunnelRecordSchema) });

export class StateFile {
  private readonly path: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.path = join(dir, 'tunnels.json');
  }

  tunnels(): TunnelRecord[] {
    try {
      const parsed = StateSchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data.tunnels : [];
    } catch {
      return [];
    }
  }

  save(tunnels: TunnelRecord[]): void {
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ tunnels })}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
  }
}
