// Errors from the host are written for people: show their message as it is, never a stack trace.
import { BurrowError, type ErrorCode } from '../../../app/domain/index.js';

export interface ShownError {
  code: ErrorCode | 'unknown';
  message: string;
}

export function toShownError(error: unknown): ShownError {
  if (error instanceof BurrowError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'unknown', message: error.message };
  return { code: 'unknown', message: String(error) };
}

export function isNotImplemented(error: unknown): boolean {
  return error instanceof BurrowError && error.code === 'not_implemented';
}
