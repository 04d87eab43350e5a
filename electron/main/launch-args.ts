// What the desktop app reads from its own command line: --hidden (autostart: tray only, no window),
// --data DIR and --netd PATH (same meaning as for `burrow host`). Electron and Chromium add switches of
// their own, so unknown arguments are ignored rather than refused.
import { findDefaultNetdSocket } from '../../app/netd/default-socket.js';
import { HIDDEN_FLAG } from './autostart.js';

export interface LaunchArgs {
  readonly hidden: boolean;
  readonly dataDir?: string;
  readonly netdSocket?: string;
}

function valueOf(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
    else if (arg === flag) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) value = next;
    }
  }
  return value === '' ? undefined : value;
}

export function parseLaunchArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  // An installed package runs netd as a service; use its socket when nothing else is named.
  exists: (path: string) => boolean = () => false,
): LaunchArgs {
  const dataDir = valueOf(argv, '--data');
  const netdSocket = valueOf(argv, '--netd') ?? (env.BURROW_NETD === '' ? undefined : env.BURROW_NETD) ?? findDefaultNetdSocket(exists);
  return {
    hidden: argv.includes(HIDDEN_FLAG),
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(netdSocket === undefined ? {} : { netdSocket }),
  };
}
