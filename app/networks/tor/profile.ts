// The Tor profile file (documented in README.md): torrc-like `Keyword value` lines under an optional `[tor]`
// header: Mode, SocksPort, Bridge lines (or bare bridge lines as bridges.torproject.org gives them),
// DirAuthority lines of a private network, and an allowlist of torrc options. Every problem is reported
// with its line number; nothing outside the allowlist is ever passed on to tor.
import { BurrowError } from '../../domain/errors.js';
import type { ParsedProfile } from '../../domain/profile.js';
import { BridgeLineError, looksLikeBareBridge, parseBridgeLine, type BridgeLine } from './bridge-line.js';
import { TOR_MODES, type TorMode, type TorProfileConfig } from './config.js';
import { ALLOWED_OPTIONS, canonicalOption, checkOption, OptionError, parseDirAuthority } from './profile-options.js';

const MAX_BRIDGES = 64;
const MAX_AUTHORITIES = 16;
// eslint-disable-next-line no-control-regex -- a profile line must not carry control characters (tabs aside)
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Cheap: a `[tor]` header, or a file that starts with a bridge line or a Tor keyword. */
export function detectTorProfile(text: string): boolean {
  const first = meaningfulLines(text)[0]?.text ?? '';
  return /^\[\s*tor\s*\]$/i.test(first) || /^(bridge|usebridges|dirauthority)\s/i.test(first) || looksLikeBareBridge(first);
}

interface SourceLine {
  number: number;
  text: string;
}

/** Lines without comments (`#` at the start or after whitespace) and blanks, with their 1-based numbers. */
function meaningfulLines(text: string): SourceLine[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((raw, index) => ({ number: index + 1, text: raw.replace(/(^|\s)#.*$/, '').trim() }))
    .filter((line) => line.text.length > 0);
}

class Problems {
  constructor(private readonly fileName: string | undefined) {}

  fail(line: number | undefined, message: string): never {
    const evidence: Record<string, unknown> = {};
    if (line !== undefined) evidence.line = line;
    if (this.fileName !== undefined) evidence.file = this.fileName;
    throw new BurrowError('invalid_profile', line === undefined ? message : `Line ${line}: ${message}`, evidence);
  }
}

function splitKeyword(text: string): { key: string; value: string } | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\s*=\s*|\s+)(.*)$/.exec(text) ?? /^([A-Za-z_][A-Za-z0-9_]*)()$/.exec(text);
  return match === null ? undefined : { key: match[1] ?? '', value: (match[2] ?? '').trim() };
}

export interface TorProfileParse {
  config: TorProfileConfig;
  name: string | undefined;
}

/** Parses a profile file; throws BurrowError('invalid_profile', 'Line N: …', { line, file }). */
export function parseTorProfileText(text: string, fileName?: string): TorProfileParse {
  const problems: Problems = new Problems(fileName);
  const lines = meaningfulLines(text);
  if (lines.length === 0) problems.fail(undefined, 'This Tor profile is empty: it needs at least a [tor] header or a bridge line.');
  let mode: TorMode | undefined;
  let socksPort: number | undefined;
  let useBridges: boolean | undefined;
  let name: string | undefined;
  const bridges: Array<{ bridge: BridgeLine; line: number }> = [];
  const dirAuthorities: string[] = [];
  const options: Record<string, string> = {};
  const seen = new Map<string, number>();
  const once = (key: string, line: number): void => {
    const before = seen.get(key);
    if (before !== undefined) problems.fail(line, `${key} is already set on line ${before}.`);
    seen.set(key, line);
  };

  for (const [index, { number, text: line }] of lines.entries()) {
    if (CONTROL.test(line)) problems.fail(number, 'the line contains a control character.');
    if (line.length > 2048) problems.fail(number, 'the line is longer than 2048 characters.');
    if (line.startsWith('[')  && !looksLikeBareBridge(line)) {
      if (!/^\[\s*tor\s*\]$/i.test(line)) problems.fail(number, `${line.slice(0, 40)} is not a section of a Tor profile (only [tor] is).`);
      if (index !== 0) problems.fail(number, '[tor] must be the first line of the profile.');
      continue;
    }
    const split = looksLikeBareBridge(line) ? { key: 'Bridge', value: line } : splitKeyword(line);
    if (split === undefined) problems.fail(number, `"${line.slice(0, 40)}" is not a Keyword value line.`);
    const key = split.key.toLowerCase();
    const value = split.value;
    if (value.length === 0) problems.fail(number, `${split.key} needs a value.`);
    try {
      if (key === 'bridge') {
        const bridge = parseBridgeLine(value);
        const duplicate = bridges.find((other) => other.bridge.address === bridge.address && other.bridge.transport === bridge.transport);
        if (duplicate !== undefined) problems.fail(number, `this bridge (${bridge.address}) is already on line ${duplicate.line}.`);
        if (bridges.length >= MAX_BRIDGES) problems.fail(number, `a profile holds at most ${MAX_BRIDGES} bridges.`);
        bridges.push({ bridge, line: number });
      } else if (key === 'dirauthority') {
        if (dirAuthorities.length >= MAX_AUTHORITIES) problems.fail(number, `a profile holds at most ${MAX_AUTHORITIES} directory authorities.`);
        dirAuthorities.push(parseDirAuthority(value));
      } else if (key === 'mode') {
        once('Mode', number);
        if (!(TOR_MODES as readonly string[]).includes(value.toLowerCase())) problems.fail(number, `Mode is proxy (a SOCKS port for the programs you point at it) or system (every program through Tor), not "${value.slice(0, 20)}".`);
        mode = value.toLowerCase() as TorMode;
      } else if (key === 'socksport') {
        once('SocksPort', number);
        const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
        if (!(port >= 1024 && port <= 65_535)) problems.fail(number, 'SocksPort takes a port number from 1024 to 65535 (tor listens on 127.0.0.1 only).');
        socksPort = port;
      } else if (key === 'usebridges') {
        once('UseBridges', number);
        if (value !== '0' && value !== '1') problems.fail(number, 'UseBridges takes 0 or 1.');
        useBridges = value === '1';
      } else if (key === 'name') {
        once('Name', number);
        name = value.slice(0, 64);
      } else {
        const canonical = canonicalOption(split.key);
        if (canonical === undefined) {
          problems.fail(
            number,
            `"${split.key.slice(0, 40)}" is not an option a Tor profile may set. Burrow never passes arbitrary torrc lines to tor; a profile may set Mode, SocksPort, Bridge, UseBridges, DirAuthority, Name and ${Object.keys(ALLOWED_OPTIONS).join(', ')}.`,
          );
        }
        once(canonical, number);
        options[canonical] = checkOption(canonical, value);
      }
    } catch (error) {
      if (error instanceof BridgeLineError) problems.fail(number, `this bridge line is not valid: ${error.message}`);
      if (error instanceof OptionError) problems.fail(number, `${split.key} ${error.message}`);
      throw error;
    }
  }

  const uses = useBridges ?? bridges.length > 0;
  if (uses && bridges.length === 0) problems.fail(seen.get('UseBridges'), 'UseBridges is 1 but the profile has no bridge lines.');
  if (options.TestingTorNetwork === '1' && dirAuthorities.length === 0) {
    problems.fail(seen.get('TestingTorNetwork'), 'TestingTorNetwork 1 is only for a private Tor network: add its DirAuthority lines.');
  }
  const config: TorProfileConfig = {
    version: 1,
    mode: mode ?? 'proxy',
    ...(socksPort === undefined ? {} : { socksPort }),
    useBridges: uses,
    bridges: bridges.map(({ bridge }) => bridge.text),
    dirAuthorities,
    options,
  };
  return { config, name };
}

/** The ProfileParser entry point: the domain's ParsedProfile (a Tor profile holds no secrets). */
export function parseTorProfile(text: string, fileName?: string): ParsedProfile {
  const { config, name } = parseTorProfileText(text, fileName);
  return { network: 'tor', suggestedName: suggestName(name, fileName, config), details: summarizeTor(config), config: { ...config }, secrets: {} };
}

/** What a person sees: the mode and how the profile reaches Tor, never the bridge lines themselves. */
export function summarizeTor(config: TorProfileConfig): ParsedProfile['details'] {
  const transports = [...new Set(config.bridges.map((line) => parseBridgeLine(line).transport))];
  const details: ParsedProfile['details'] = {
    mode: config.mode,
    bridges: config.useBridges ? config.bridges.length : 0,
    transports: config.useBridges ? transports : [],
    network: config.dirAuthorities.length > 0 ? `private (${config.dirAuthorities.length} directory authorities)` : 'public Tor network',
  };
  if (config.socksPort !== undefined) details.socksPort = config.socksPort;
  const options = Object.keys(config.options);
  if (options.length > 0) details.options = options;
  return details;
}

// eslint-disable-next-line no-control-regex -- names must not carry control characters
const CONTROL_ALL = /[\u0000-\u001f\u007f]/g;

function suggestName(name: string | undefined, fileName: string | undefined, config: TorProfileConfig): string {
  const fromName = (name ?? '').replace(CONTROL_ALL, ' ').trim();
  if (fromName !== '') return fromName.slice(0, 64);
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  const fromFile = base.replace(/\.(conf|txt|torrc|tor|ini)$/i, '').replace(CONTROL_ALL, ' ').trim().slice(0, 64).trim();
  if (fromFile !== '') return fromFile;
  if (config.useBridges) return `Tor (${[...new Set(config.bridges.map((line) => parseBridgeLine(line).transport))].join(', ')} bridges)`.slice(0, 64);
  return config.mode === 'system' ? 'Tor (whole system)' : 'Tor';
}
