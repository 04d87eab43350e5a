// The kill-switch probe for the system-wide networks (issue 12 item 11), netd's part of the contract: the
// helper that carries every program's traffic (tor for system-wide Tor, redsocks for Nym and dVPN) is
// stopped for a few seconds, so only the firewall's redirect stands between programs and the wire.
import { z } from 'zod';

/** As long as a WireGuard pause may last (netd.ts MAX_WG_PAUSE_MS); netd resumes by itself after it. */
export const MAX_SYSTEM_PAUSE_MS = 30_000;

export const SystemPauseResultSchema = z.object({
  paused: z.boolean(),
  /** Which helper netd stopped or let run again; null when none was paused. */
  helper: z.enum(['tor', 'redsocks']).nullable(),
  helperPid: z.number().int().nullable(),
});
export type SystemPauseResult = z.infer<typeof SystemPauseResultSchema>;

function pauseCommand<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string) {
  return { request, response, summary };
}

export const netdPauseCommands = {
  systemPause: pauseCommand(
    z.strictObject({ maxMs: z.number().int().min(100).max(MAX_SYSTEM_PAUSE_MS) }),
    SystemPauseResultSchema,
    'Stop (SIGSTOP) the system-wide helper netd runs, only under a system-wide firewall policy; resumed by systemResume or after maxMs.',
  ),
  systemResume: pauseCommand(z.strictObject({}), SystemPauseResultSchema, 'Let the helper systemPause stopped run again.'),
} as const;
