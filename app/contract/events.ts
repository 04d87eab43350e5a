// Every event the host pushes. Front doors keep their view current from these after one snapshot.
import { z } from 'zod';
import { LeakVerdictSchema, LogEntrySchema, ProfileSummarySchema, SettingsSchema, TunnelStateSchema } from '../domain/index.js';
import { MeasureProgressSchema } from './comparison.js';
import { DvpnRegistrationProgressSchema } from './dvpn.js';

export const events = {
  state: TunnelStateSchema,
  settings: SettingsSchema,
  profiles: z.array(ProfileSummarySchema),
  leakResult: LeakVerdictSchema,
  log: LogEntrySchema,
  /** While Measure all runs: which profile, which phase. */
  measureProgress: MeasureProgressSchema,
  /** While a dVPN identity's registration runs: which step, and the state myst reports. */
  dvpnRegistration: DvpnRegistrationProgressSchema,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<N extends EventName> = z.output<Events[N]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
