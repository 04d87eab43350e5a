// What the desktop app reads from its own command line: --hidden (autostart: tray only, no window) and
// --data DIR (same meaning as `burrow host --data`). Electron and Chromium add switches of their own, so
// unknown arguments are ignored rather than refused.
import { HIDDEN_FLAG } from './autostart.js';

export interface LaunchArgs {
  readonly hidden: boolean;
  readonly dataDir?: string;
}

export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--data=')) dataDir = arg.slice('--data='.length);
    else if (arg === '--data') {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) dataDir = next;
    }
  }
  return { hidden: argv.includes(HIDDEN_FLAG), ...(dataDir === undefined || dataDir === '' ? {} : { dataDir }) };
}
