// myst's connection states (core/connection/connectionstate) in Burrow's terms, and the `/events/state`
// payload's parts Burrow reads. Pure.
import { z } from 'zod';

export type BurrowPhase = 'connecting' | 'connected' | 'error' | 'disconnected' | 'disconnecting' | 'unknown';

const PHASES: Record<string, BurrowPhase> = {
  Connecting: 'connecting',
  Reconnecting: 'connecting',
  Connected: 'connected',
  ConnectionFailed: 'error',
  OnHold: 'error',
  Canceled: 'error',
  IPNotChanged: 'error',
  NotConnected: 'disconnected',
  Disconnecting: 'disconnecting',
};

export function burrowPhase(status: string): BurrowPhase {
  return PHASES[status] ?? 'unknown';
}

/** A sentence for a state myst reports as a failure. */
export function describeFailure(status: string): string {
  switch (status) {
    case 'ConnectionFailed':
      return 'the connection to the Mysterium node failed';
    case 'OnHold':
      return 'Mysterium put the connection on hold (usually a payment problem: check the balance)';
    case 'Canceled':
      return 'the connection attempt was cancelled';
    case 'IPNotChanged':
      return 'the node connected but the public address did not change, so traffic would not be protected';
    default:
      return `Mysterium reports "${status.slice(0, 40)}"`;
  }
}

const TokensSchema = z.object({ wei: z.string().optional(), ether: z.string().optional(), human: z.string().optional() }).partial();

export const IdentitySchema = z.object({
  id: z.string(),
  registration_status: z.string().optional(),
  balance: z.number().optional(),
  balance_tokens: TokensSchema.optional(),
});
export type MystIdentity = z.infer<typeof IdentitySchema>;

export const StateEventSchema = z.object({
  type: z.string(),
  payload: z
    .object({
      consumer: z.object({ connection: z.object({ status: z.string(), session_id: z.string().optional() }).partial().optional() }).partial().optional(),
      identities: z.array(IdentitySchema).optional(),
    })
    .partial(),
});

/** The connection status in a `state-change` event's data, or undefined for anything else. */
export function statusOfEvent(data: string): { status: string | undefined; identities: MystIdentity[] } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = StateEventSchema.safeParse(json);
  if (!parsed.success || parsed.data.type !== 'state-change') return undefined;
  return { status: parsed.data.payload.consumer?.connection?.status, identities: parsed.data.payload.identities ?? [] };
}

/** Balance in MYST: `balance_tokens.ether` when present, else wei. */
export function balanceMyst(identity: MystIdentity): number | undefined {
  const ether = identity.balance_tokens?.ether;
  if (ether !== undefined && /^\d+(\.\d+)?$/.test(ether)) return Number(ether);
  return identity.balance === undefined ? undefined : identity.balance / 1e18;
}
