// Where an installed netd listens (burrow-netd.service). The host uses it when nobody names another socket,
// so a packaged app finds the system's netd by itself; a missing socket means no system-wide mode.
import { existsSync } from 'node:fs';

export const DEFAULT_NETD_SOCKET = '/run/burrow/netd.sock';

export function findDefaultNetdSocket(exists: (path: string) => boolean = existsSync): string | undefined {
  return exists(DEFAULT_NETD_SOCKET) ? DEFAULT_NETD_SOCKET : undefined;
}
