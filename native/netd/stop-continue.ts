// SIGSTOP/SIGCONT for the kill-switch probes' pauses (wireguard-go, a system-wide helper), one guarded way.
// A pid that was never a process (userspace.ts records -1 when wireguard-go got none) is never signalled:
// as root, -1 is every process on the machine and 0 the whole group.

/** False when there is no such process (never was one, or it died meanwhile: nothing to stop or continue). */
export function stopOrContinue(pid: number, name: 'SIGSTOP' | 'SIGCONT'): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}
