// The four network families Burrow drives, and how each is named to a person.
import { z } from 'zod';

export const NETWORK_KINDS = ['wireguard', 'tor', 'nym', 'dvpn'] as const;
export const NetworkKindSchema = z.enum(NETWORK_KINDS);
export type NetworkKind = z.infer<typeof NetworkKindSchema>;

export const NETWORK_LABELS: Record<NetworkKind, string> = {
  wireguard: 'WireGuard VPN',
  tor: 'Tor',
  nym: 'Nym mixnet',
  dvpn: 'dVPN (Mysterium)',
};
