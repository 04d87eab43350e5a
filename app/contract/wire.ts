// The envelopes every transport carries (control socket lines, WebSocket messages, Electron IPC payloads).
import { z } from 'zod';
import { ErrorInfoSchema } from '../domain/index.js';

/** No message on any transport is larger: a bigger one is refused before it is parsed. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export const RequestIdSchema = z.union([z.number().int().nonnegative(), z.string().max(64)]);
export type RequestId = z.infer<typeof RequestIdSchema>;

export const RequestEnvelopeSchema = z
  .object({ id: RequestIdSchema, method: z.string().max(64), params: z.unknown().optional() })
  .strict();
export type RequestEnvelope = z.infer<typeof RequestEnvelopeSchema>;

export const ResponseEnvelopeSchema = z.union([
  z.object({ id: RequestIdSchema.nullable(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: RequestIdSchema.nullable(), ok: z.literal(false), error: ErrorInfoSchema }),
]);
export type ResponseEnvelope = z.infer<typeof ResponseEnvelopeSchema>;

export const EventEnvelopeSchema = z.object({ event: z.string().max(64), data: z.unknown() });
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

/** Anything a server sends: a response or an event. */
export const ServerMessageSchema = z.union([ResponseEnvelopeSchema, EventEnvelopeSchema]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
