// The address the internet sees, asked of the leak-test server the person configured (its /json echo).
// Optional and after the fact: connecting never waits for it, and a failure only means "unknown".
import { z } from 'zod';

const EchoSchema = z.object({ ip: z.string().max(64) });

export async function fetchExitIp(leakServerUrl: string, timeoutMs = 3000): Promise<string | undefined> {
  if (leakServerUrl === '') return undefined;
  try {
    const response = await fetch(new URL('/json', leakServerUrl), { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const echo = EchoSchema.safeParse(await response.json());
    return echo.success ? echo.data.ip : undefined;
  } catch {
    return undefined;
  }
}
