// The promise-based Tor controller Burrow uses: authentication, GETINFO/GETCONF/SETCONF, signals and
// events over a ControlConnection. Everything a caller passes is validated or quoted here, so no value can
// add a command line; secrets stay out of errors.
import { BurrowError } from '../../../domain/errors.js';
import { answerSafeCookie, chooseAuthMethod, newClientNonce, parseAuthChallenge, parseProtocolInfo, readCookieFile, COOKIE_LENGTH } from './auth.js';
import type { AuthMethod, AuthOptions, ProtocolInfo } from './auth.js';
import { ControlConnection } from './connection.js';
import type { ConnectionOptions, ControlEndpoint } from './connection.js';
import { parseEvent } from './events.js';
import type { TorEvent } from './events.js';
import { assertInfoKey, assertKeyword, assertSafeArgument, quoteString, unquoteIfQuoted } from './quote.js';
import type { ControlReply } from './reply-parser.js';

export type TorSignal =
  | 'RELOAD'
  | 'HUP'
  | 'SHUTDOWN'
  | 'INT'
  | 'DUMP'
  | 'USR1'
  | 'DEBUG'
  | 'USR2'
  | 'HALT'
  | 'TERM'
  | 'NEWNYM'
  | 'CLEARDNSCACHE'
  | 'HEARTBEAT'
  | 'DORMANT'
  | 'ACTIVE';

export interface ConfEntry {
  readonly key: string;
  /** undefined when the option is unset (tor's default applies). */
  readonly value: string | undefined;
}

/**
 * Options to set: a string sets one value, an array sets a repeated option (several Bridge lines), null or
 * an empty array resets the option to its default.
 */
export type ConfAssignment = Readonly<Record<string, string | readonly string[] | null>>;

export type ConnectOptions = ControlEndpoint & ConnectionOptions;

function confArguments(assignment: ConfAssignment): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(assignment)) {
    assertKeyword(key, 'configuration key');
    const values = value === null ? [] : typeof value === 'string' ? [value] : value;
    if (values.length === 0) args.push(key);
    for (const v of values) args.push(`${key}=${quoteString(v, `value of ${key}`)}`);
  }
  if (args.length === 0) throw new BurrowError('invalid_request', 'SETCONF needs at least one option.');
  return args;
}

/** Splits `Key=Value` lines of GETINFO/GETCONF replies; a '+' line's value is its data block. */
function keyValueLines(reply: ControlReply): { key: string; value: string | undefined; data: boolean }[] {
  return reply.lines
    .filter((line) => !(line.separator === ' ' && line.text === 'OK'))
    .map((line) => {
      const eq = line.text.indexOf('=');
      if (eq < 0) return { key: line.text, value: line.data, data: line.data !== undefined };
      const key = line.text.slice(0, eq);
      if (line.data !== undefined) return { key, value: line.data, data: true };
      return { key, value: line.text.slice(eq + 1), data: false };
    });
}

export class TorControlClient {
  private readonly connection: ControlConnection;
  private protocolInfoPromise: Promise<ProtocolInfo> | undefined;
  private readonly eventListeners = new Set<(event: TorEvent) => void>();

  private constructor(connection: ControlConnection) {
    this.connection = connection;
    connection.onEvent((reply) => {
      const event = parseEvent(reply);
      for (const listener of this.eventListeners) {
        try {
          listener(event);
        } catch {
          /* one bad listener must not starve the others */
        }
      }
    });
  }

  /** Connects to `{ host, port }` (host defaults to 127.0.0.1) or `{ path }` for a Unix socket. */
  static async connect(options: ConnectOptions): Promise<TorControlClient> {
    return new TorControlClient(await ControlConnection.open(options, options));
  }

  get closed(): boolean {
    return this.connection.closed;
  }

  get bytesWritten(): number {
    return this.connection.bytesWritten;
  }

  /** Any command, for what this class has no method for. Arguments are checked for CR/LF/NUL, not quoted. */
  command(keyword: string, args: readonly string[] = []): Promise<ControlReply> {
    return this.connection.send(keyword, args);
  }

  /** PROTOCOLINFO, asked once: tor allows only one before authentication and closes on a second. */
  protocolInfo(): Promise<ProtocolInfo> {
    this.protocolInfoPromise ??= this.connection.send('PROTOCOLINFO', ['1']).then(parseProtocolInfo);
    return this.protocolInfoPromise;
  }

  /** Authenticates with the best method tor offers and we can do; returns the method used. */
  async authenticate(options: AuthOptions = {}): Promise<AuthMethod> {
    // Checked before PROTOCOLINFO so that a bad password leaves the wire untouched.
    if (options.password !== undefined) assertSafeArgument(options.password, 'password');
    const info = await this.protocolInfo();
    const method = chooseAuthMethod(info, options);
    if (method === 'NULL') {
      await this.connection.send('AUTHENTICATE');
    } else if (method === 'HASHEDPASSWORD') {
      const password = options.password ?? '';
      await this.connection.send('AUTHENTICATE', [quoteString(password, 'password')], { secrets: [password] });
    } else {
      await this.safeCookie(info, options);
    }
    return method;
  }

  private async safeCookie(info: ProtocolInfo, options: AuthOptions): Promise<void> {
    const cookiePath = options.cookieFile ?? info.cookieFile;
    if (options.cookie === undefined && cookiePath === undefined) {
      throw new BurrowError('unauthorized', 'SAFECOOKIE needs the control cookie, and tor named no cookie file.');
    }
    const cookie = options.cookie !== undefined ? Buffer.from(options.cookie) : await readCookieFile(cookiePath ?? '');
    if (cookie.length !== COOKIE_LENGTH) {
      throw new BurrowError('unauthorized', `A control cookie must be ${COOKIE_LENGTH} bytes, not ${cookie.length}.`);
    }
    const clientNonce = newClientNonce();
    const reply = await this.connection.send('AUTHCHALLENGE', ['SAFECOOKIE', clientNonce.toString('hex')]);
    let clientHash: Buffer;
    try {
      clientHash = answerSafeCookie(cookie, clientNonce, parseAuthChallenge(reply));
    } catch (error) {
      // Tor now expects only AUTHENTICATE; we will not send one to a peer that failed its proof.
      await this.connection.close();
      throw error;
    }
    const hex = clientHash.toString('hex');
    await this.connection.send('AUTHENTICATE', [hex], { secrets: [hex] });
  }

  /** One GETINFO value (multi-line values come joined by '\n'). */
  async getInfo(key: string): Promise<string> {
    const values = await this.getInfoMany([key]);
    return values.get(key) ?? '';
  }

  /** Several GETINFO values in one round trip. */
  async getInfoMany(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) throw new BurrowError('invalid_request', 'GETINFO needs at least one key.');
    keys.forEach(assertInfoKey);
    const reply = await this.connection.send('GETINFO', keys);
    const values = new Map<string, string>();
    for (const { key, value } of keyValueLines(reply)) values.set(key, value ?? '');
    const missing = keys.filter((key) => !values.has(key));
    if (missing.length > 0) {
      throw new BurrowError('helper_failed', `Tor's GETINFO reply lacks ${missing.join(', ')}.`, { missing });
    }
    return values;
  }

  /** GETCONF: one entry per value, in tor's order; repeated options (Bridge) give several entries. */
  async getConf(keys: readonly string[]): Promise<ConfEntry[]> {
    if (keys.length === 0) throw new BurrowError('invalid_request', 'GETCONF needs at least one key.');
    keys.forEach((key) => assertKeyword(key, 'configuration key'));
    const reply = await this.connection.send('GETCONF', keys);
    return keyValueLines(reply).map(({ key, value, data }) => ({ key, value: value === undefined || data ? value : unquoteIfQuoted(value) }));
  }

  /** Every value of one option (empty when unset). */
  async getConfValues(key: string): Promise<string[]> {
    const entries = await this.getConf([key]);
    return entries.flatMap((entry) => (entry.key.toLowerCase() === key.toLowerCase() && entry.value !== undefined ? [entry.value] : []));
  }

  /** SETCONF: all options change together or none does (tor validates the whole set). */
  async setConf(assignment: ConfAssignment): Promise<void> {
    await this.connection.send('SETCONF', confArguments(assignment));
  }

  /** RESETCONF: each key back to its default (or to the value given). */
  async resetConf(keys: readonly string[] | ConfAssignment): Promise<void> {
    const assignment: ConfAssignment = Array.isArray(keys) ? Object.fromEntries((keys as readonly string[]).map((key) => [key, null])) : (keys as ConfAssignment);
    await this.connection.send('RESETCONF', confArguments(assignment));
  }

  async signal(signal: TorSignal): Promise<void> {
    assertKeyword(signal, 'signal');
    await this.connection.send('SIGNAL', [signal]);
  }

  /** Replaces the set of subscribed events (an empty list unsubscribes from all). */
  async setEvents(events: readonly string[]): Promise<void> {
    events.forEach((event) => assertKeyword(event, 'event name'));
    await this.connection.send('SETEVENTS', events);
  }

  /** Listens to every asynchronous event; returns the function that stops listening. */
  onEvent(listener: (event: TorEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called once when the connection ends; with an error unless Burrow closed it (or QUIT). */
  onClose(listener: (error: BurrowError | undefined) => void): () => void {
    return this.connection.onClose(listener);
  }

  /** From now on tor exits when this connection closes: a crashed Burrow cannot leave tor running. */
  async takeOwnership(): Promise<void> {
    await this.connection.send('TAKEOWNERSHIP');
  }

  /** Asks tor to close the connection, and waits until it has. */
  async quit(): Promise<void> {
    this.connection.expectClose();
    await this.connection.send('QUIT');
    await this.connection.whenClosed();
  }

  /** Closes the connection (after TAKEOWNERSHIP, this stops tor). */
  async close(): Promise<void> {
    await this.connection.close();
  }
}
