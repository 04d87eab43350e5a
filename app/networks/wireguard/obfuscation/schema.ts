// The stored form of a profile's obfuscations (config record, no secrets), checked again when read back.
import { z } from 'zod';
import { SHADOWSOCKS_METHODS } from './parse.js';

const Server = z.strictObject({ host: z.string().min(1).max(253), port: z.number().int().min(1).max(65_535) });

export const ObfuscationSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('shadowsocks'), server: Server, method: z.enum(SHADOWSOCKS_METHODS) }),
  z.strictObject({
    type: z.literal('vless-ws-tls'), server: Server, path: z.string().max(101), serverName: z.string().max(253),
    caPem: z.string().max(16_384).optional(),
  }),
]);

/** The secrets record's name for obfuscation number `index` (its password or id). */
export const obfuscationSecretName = (index: number): string => `obfuscation:${index}`;
