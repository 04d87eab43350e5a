// Turning an imported file into a profile: find which network it is for, let that network's parser
// validate it, and name it. Parsers are registered per network as the networks are built; the
// ProfileParser type they implement is declared with the driver interface (app/supervisor/driver.ts).
import { BurrowError, NETWORK_LABELS, ProfileNameSchema, type NetworkKind, type ParsedProfile } from '../domain/index.js';
import type { ProfileParser } from '../supervisor/driver.js';

export function parseImportedProfile(
  parsers: readonly ProfileParser[],
  request: { content: string; network?: NetworkKind | undefined; fileName?: string | undefined },
): ParsedProfile {
  if (request.content.includes('\u0000')) {
    throw new BurrowError('invalid_profile', 'This file is binary, not a profile. Burrow imports text files such as a WireGuard .conf.');
  }
  const parser = request.network
    ? parsers.find((candidate) => candidate.network === request.network)
    : parsers.find((candidate) => candidate.detect(request.content, request.fileName));
  if (!parser) {
    if (request.network) {
      throw new BurrowError('not_implemented', `Importing ${NETWORK_LABELS[request.network]} profiles is not built yet in this version of Burrow.`);
    }
    const known = parsers.map((candidate) => NETWORK_LABELS[candidate.network]).join(', ') || 'none yet';
    throw new BurrowError(
      'invalid_profile',
      `Burrow could not tell which network this file is for. Profiles it can import today: ${known}.`,
    );
  }
  return parser.parse(request.content, request.fileName);
}

export function chooseProfileName(requested: string | undefined, parsed: ParsedProfile): string {
  const candidate = requested ?? parsed.suggestedName;
  const checked = ProfileNameSchema.safeParse(candidate);
  if (!checked.success) {
    throw new BurrowError('invalid_request', `"${candidate.slice(0, 80)}" cannot be a profile name: ${checked.error.issues[0]?.message ?? 'invalid'}.`);
  }
  return checked.data;
}
