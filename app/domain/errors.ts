// Typed errors: a code a program can branch on, a sentence a person can act on, and the evidence.
import { z } from 'zod';

export const ERROR_CODES = [
  'not_implemented',
  'invalid_request',
  'unknown_command',
  'message_too_large',
  'unauthorized',
  'not_found',
  'conflict',
  'invalid_profile',
  'no_profile',
  'network_unavailable',
  'helper_failed',
  'handshake_timeout',
  'blocked_by_censor',
  'netd_unavailable',
  /** The kill switch's rules for a state could not be put in place or verified: that state's work never starts. */
  'firewall_failed',
  'store_error',
  'timeout',
  'cancelled',
  'host_unreachable',
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ErrorInfoSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

export class BurrowError extends Error {
  readonly code: ErrorCode;
  readonly evidence: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, evidence?: Record<string, unknown>) {
    super(message);
    this.name = 'BurrowError';
    this.code = code;
    this.evidence = evidence;
  }

  toInfo(): ErrorInfo {
    return this.evidence === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, evidence: this.evidence };
  }

  static fromInfo(info: ErrorInfo): BurrowError {
    return new BurrowError(info.code, info.message, info.evidence);
  }
}

/** Any thrown value as an ErrorInfo; unknown errors become `internal` without leaking a stack trace. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof BurrowError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}
