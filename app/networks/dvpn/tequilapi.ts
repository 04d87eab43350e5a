// A client for myst's TequilAPI on 127.0.0.1: bearer-token auth, identities and their registration,
// proposals, the blocking connect, disconnect. myst keeps one connection per proxy port (its multi-connection
// manager, core/connection/multi.go in mysteriumnetwork/node 1.38.3): GET and DELETE /connection name it with
// `?id=<proxy port>`; without it they speak of id 0, which is nothing (DELETE answers 202 and stops nothing). Answers are checked with schemas; errors become TequilapiError with the API's own
// code (`{"error":{"code","message","fields"},"status","path"}`), which the driver turns into sentences.
import { z } from 'zod';
import { IdentitySchema, type MystIdentity } from './states.js';

export class TequilapiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'TequilapiError';
  }
}

const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    detail: z.string().optional(),
    fields: z.record(z.string(), z.object({ message: z.string() }).partial()).optional(),
  }),
});

/** The API's error body (or a bare message from an older node) as a TequilapiError. */
export function parseApiError(status: number, text: string): TequilapiError {
  try {
    const body = ErrorBodySchema.safeParse(JSON.parse(text));
    if (body.success) {
      const fields = Object.fromEntries(Object.entries(body.data.error.fields ?? {}).map(([name, field]) => [name, field.message ?? 'invalid']));
      return new TequilapiError(status, body.data.error.code, body.data.error.detail ?? body.data.error.message, fields);
    }
    const legacy = z.object({ message: z.string() }).safeParse(JSON.parse(text));
    if (legacy.success) return new TequilapiError(status, 'unknown', legacy.data.message);
  } catch {
    // not JSON
  }
  return new TequilapiError(status, 'unknown', text.trim().slice(0, 300) || `HTTP ${status}`);
}

const TokensSchema = z.object({ ether: z.string().optional(), human: z.string().optional() });

export const ProposalSchema = z.object({
  provider_id: z.string(),
  service_type: z.string(),
  location: z.object({ country: z.string().optional(), city: z.string().optional(), ip_type: z.string().optional() }).partial(),
  price: z
    .object({ currency: z.string().optional(), per_gib: z.number().optional(), per_hour: z.number().optional(), per_gib_tokens: TokensSchema.optional(), per_hour_tokens: TokensSchema.optional() })
    .partial()
    .optional(),
  quality: z.object({ quality: z.number().optional(), latency: z.number().optional(), bandwidth: z.number().optional() }).partial().optional(),
});
export type Proposal = z.infer<typeof ProposalSchema>;

/** What the node picker shows for one node: country, price per GiB and per hour in MYST, quality. */
export interface NodeOffer {
  providerId: string;
  country: string;
  city: string;
  ipType: string;
  pricePerGib: number | undefined;
  pricePerHour: number | undefined;
  /** Mysterium's quality score (0–3; higher is better), latency in ms, bandwidth in Mbit/s. */
  quality: number | undefined;
  latencyMs: number | undefined;
  bandwidthMbps: number | undefined;
}

function myst(tokens: { ether?: string | undefined } | undefined, wei: number | undefined): number | undefined {
  if (tokens?.ether !== undefined && /^\d+(\.\d+)?$/.test(tokens.ether)) return Number(tokens.ether);
  return wei === undefined ? undefined : wei / 1e18;
}

export function toOffer(p: Proposal): NodeOffer {
  return {
    providerId: p.provider_id,
    country: p.location.country ?? '',
    city: p.location.city ?? '',
    ipType: p.location.ip_type ?? '',
    pricePerGib: myst(p.price?.per_gib_tokens, p.price?.per_gib),
    pricePerHour: myst(p.price?.per_hour_tokens, p.price?.per_hour),
    quality: p.quality?.quality,
    latencyMs: p.quality?.latency,
    bandwidthMbps: p.quality?.bandwidth,
  };
}

/** The node Burrow picks: the given one, else the best quality within the price limits. */
export function pickNode(offers: NodeOffer[], wanted: { node?: string | undefined; maxPricePerGib?: number | undefined; maxPricePerHour?: number | undefined }): NodeOffer | undefined {
  if (wanted.node !== undefined) return offers.find((offer) => offer.providerId.toLowerCase() === wanted.node?.toLowerCase());
  const affordable = offers.filter(
    (offer) =>
      (wanted.maxPricePerGib === undefined || (offer.pricePerGib ?? Infinity) <= wanted.maxPricePerGib) &&
      (wanted.maxPricePerHour === undefined || (offer.pricePerHour ?? Infinity) <= wanted.maxPricePerHour),
  );
  return [...affordable].sort((a, b) => (b.quality ?? -1) - (a.quality ?? -1))[0];
}

export const ConnectionSchema = z.object({ status: z.string(), consumer_id: z.string().optional(), session_id: z.string().optional(), proposal: ProposalSchema.optional() });

export class Tequilapi {
  private token: string | undefined;

  constructor(readonly baseUrl: string) {}

  get authHeaders(): Record<string, string> {
    return this.token === undefined ? {} : { Authorization: `Bearer ${this.token}` };
  }

  private async request(method: string, path: string, body?: unknown, timeoutMs = 15_000, signal?: AbortSignal): Promise<unknown> {
    const signals = [AbortSignal.timeout(timeoutMs), ...(signal === undefined ? [] : [signal])];
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...this.authHeaders, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.any(signals),
    });
    const text = await response.text();
    if (!response.ok) throw parseApiError(response.status, text);
    return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  }

  healthcheck(): Promise<unknown> {
    return this.request('GET', '/healthcheck', undefined, 2000);
  }

  async authenticate(username: string, password: string): Promise<void> {
    const answer = z.object({ token: z.string().min(1) }).parse(await this.request('POST', '/auth/authenticate', { username, password }));
    this.token = answer.token;
  }

  /** PUT /identities/current: the named identity (unlocked with the passphrase), else myst's default, else a new one. */
  async currentIdentity(passphrase: string, id?: string): Promise<string> {
    return z.object({ id: z.string() }).parse(await this.request('PUT', '/identities/current', { ...(id === undefined ? {} : { id }), passphrase })).id;
  }

  /**
   * POST /identities-import (tequilapi/endpoints/identities.go Import): the keystore file's bytes (Go's []byte,
   * so base64 in JSON), decrypted with `currentPassphrase` and stored re-encrypted with `newPassphrase`, then
   * unlocked. 422 err_id_import when the file or passphrase is wrong or the identity is there already.
   */
  async importIdentity(keystore: string, currentPassphrase: string, newPassphrase: string): Promise<string> {
    const body = { data: Buffer.from(keystore, 'utf8').toString('base64'), current_passphrase: currentPassphrase, new_passphrase: newPassphrase, set_default: true };
    return z.object({ id: z.string() }).parse(await this.request('POST', '/identities-import', body, 60_000)).id;
  }

  async unlock(id: string, passphrase: string): Promise<void> {
    await this.request('PUT', `/identities/${encodeURIComponent(id)}/unlock`, { passphrase });
  }

  async identity(id: string): Promise<MystIdentity> {
    return IdentitySchema.parse(await this.request('GET', `/identities/${encodeURIComponent(id)}`));
  }

  async proposals(country?: string): Promise<Proposal[]> {
    const query = new URLSearchParams({ service_type: 'wireguard', location_country: country ?? '' });
    return z.object({ proposals: z.array(ProposalSchema).nullable() }).parse(await this.request('GET', `/proposals?${query.toString()}`)).proposals ?? [];
  }

  /** PUT /connection blocks until myst is connected (or failed): give it time. */
  async connect(request: { consumerId: string; providerId: string; proxyPort: number; dns?: string }, signal: AbortSignal, timeoutMs = 90_000): Promise<z.infer<typeof ConnectionSchema>> {
    const body = {
      consumer_id: request.consumerId,
      provider_id: request.providerId,
      service_type: 'wireguard',
      connect_options: {
        // true *disables* myst's own kill switch (Go: DisableKillSwitch `json:"kill_switch"`): Burrow's is the one.
        kill_switch: true,
        proxy_port: request.proxyPort,
        ...(request.dns === undefined ? {} : { dns: request.dns }),
      },
    };
    return ConnectionSchema.parse(await this.request('PUT', '/connection', body, timeoutMs, signal));
  }

  /** Whether the identity may register for free (GET /identities/{id}/eligibility). */
  async eligibility(id: string): Promise<boolean> {
    return z.object({ eligible: z.boolean() }).parse(await this.request('GET', `/identities/${encodeURIComponent(id)}/eligibility`)).eligible;
  }

  /**
   * POST /identities/{id}/register with no fee: the free registration (202: sent; 200: already registered;
   * 422 err_id_registration_in_progress: sent before). Burrow never offers a fee: it never pays.
   */
  async register(id: string): Promise<'sent' | 'registered' | 'in-progress'> {
    try {
      const response = await fetch(`${this.baseUrl}/identities/${encodeURIComponent(id)}/register`, {
        method: 'POST',
        headers: { ...this.authHeaders, 'Content-Type': 'application/json' },
        body: JSON.stringify({}),
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status === 202) return 'sent';
      if (response.ok) return 'registered';
      throw parseApiError(response.status, await response.text());
    } catch (error) {
      if (error instanceof TequilapiError && error.code === 'err_id_registration_in_progress') return 'in-progress';
      throw error;
    }
  }

  async statistics(proxyPort: number): Promise<{ bytesSent: number; bytesReceived: number }> {
    const stats = z.object({ bytes_sent: z.number(), bytes_received: z.number() }).partial().parse(await this.request('GET', `/connection/statistics?id=${proxyPort}`, undefined, 3000));
    return { bytesSent: stats.bytes_sent ?? 0, bytesReceived: stats.bytes_received ?? 0 };
  }

  async connection(proxyPort: number): Promise<z.infer<typeof ConnectionSchema>> {
    return ConnectionSchema.parse(await this.request('GET', `/connection?id=${proxyPort}`));
  }

  /** DELETE /connection?id=<proxy port>; "no connection exists" (422 err_no_connection_exists) counts as done. */
  async disconnect(proxyPort: number): Promise<void> {
    try {
      await this.request('DELETE', `/connection?id=${proxyPort}`, undefined, 10_000);
    } catch (error) {
      if (error instanceof TequilapiError && error.code === 'err_no_connection_exists') return;
      throw error;
    }
  }
}
