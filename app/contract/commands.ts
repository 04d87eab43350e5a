// Every command of the contract: its request and response schemas. The Electron handlers, the preload API,
// the control-socket and WebSocket servers, the CLI client and the renderer client are derived from this
// table; nothing else keeps a list of command names.
import { z } from 'zod';
import {
  ConnectionDetailsSchema,
  HistoryEntrySchema,
  LeakTestKindSchema,
  LeakVerdictSchema,
  LogEntrySchema,
  MeasurementSchema,
  NetworkKindSchema,
  ProfileIdSchema,
  ProfileNameSchema,
  ProfileSummarySchema,
  SettingsPatchSchema,
  SettingsSchema,
  TunnelStateSchema,
} from '../domain/index.js';
import { ComparisonSchema, MeasureAllRequestSchema, MeasureAllResultSchema } from './comparison.js';
import {
  DvpnIdentityRequestSchema,
  DvpnIdentitySchema,
  DvpnNodesRequestSchema,
  DvpnNodesSchema,
  ImportDvpnIdentityRequestSchema,
  ImportDvpnIdentityResultSchema,
  RegisterDvpnRequestSchema,
  RegisterDvpnResultSchema,
} from './dvpn.js';
import { NymSettingsRequestSchema, NymSettingsSchema, UpdateProfileRequestSchema } from './profile-settings.js';
import { ProbeRequestSchema, ProbeResultSchema, SmartConnectRequestSchema, SmartConnectResultSchema } from './probe.js';
import { SnapshotSchema } from './snapshot.js';

/** Imported profile files are small; anything larger is not a profile. */
export const MAX_PROFILE_BYTES = 64 * 1024;

const Empty = z.object({}).strict();

function command<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string) {
  return { request, response, summary };
}

export const commands = {
  getSnapshot: command(Empty, SnapshotSchema, 'The whole state at once: tunnel, settings, profiles, networks.'),
  listProfiles: command(Empty, z.array(ProfileSummarySchema), 'Imported profiles (never their secrets).'),
  importProfile: command(
    z
      .object({
        content: z.string().max(MAX_PROFILE_BYTES, 'profile files are at most 64 KiB'),
        name: ProfileNameSchema.optional(),
        network: NetworkKindSchema.optional(),
        fileName: z.string().max(255).optional(),
      })
      .strict(),
    ProfileSummarySchema,
    'Import a profile file (a WireGuard .conf, a Tor profile, ...).',
  ),
  removeProfile: command(z.object({ id: ProfileIdSchema }).strict(), z.object({ removed: ProfileIdSchema }), 'Remove a profile and its secrets.'),
  connect: command(
    z
      .object({
        /** A profile id or name; absent: the last used profile. */
        profile: z.string().min(1).max(64).optional(),
        /** Resolve only once connected or failed (default), or as soon as connecting starts. */
        wait: z.boolean().optional(),
      })
      .strict(),
    TunnelStateSchema,
    'Connect (or switch) to a profile; answers the state it settled in.',
  ),
  disconnect: command(Empty, TunnelStateSchema, 'Disconnect; with lockdown on, traffic stays blocked.'),
  updateSettings: command(SettingsPatchSchema, SettingsSchema, 'Change settings (kill switch, lockdown, LAN, DNS, leak server).'),
  runLeakTest: command(
    z
      .object({
        tests: z.array(LeakTestKindSchema).min(1).optional(),
        /** ICE candidates the app window gathered against the leak server's STUN (the WebRTC test). */
        webrtcCandidates: z.array(z.string().max(1024)).max(200).optional(),
      })
      .strict(),
    z.object({ verdicts: z.array(LeakVerdictSchema) }),
    'Run the leak tests against whatever network is up.',
  ),
  getHistory: command(
    z.object({ limit: z.number().int().min(1).max(1000).optional(), network: NetworkKindSchema.optional() }).strict(),
    z.object({
      connections: z.array(HistoryEntrySchema),
      leaks: z.array(LeakVerdictSchema),
      measurements: z.array(MeasurementSchema),
    }),
    'Connection history, past leak verdicts and measurements.',
  ),
  getComparison: command(Empty, ComparisonSchema, 'What each network buys in privacy and costs in speed, measured here.'),
  measureAll: command(
    MeasureAllRequestSchema,
    MeasureAllResultSchema,
    'Connect to each profile in turn (through the kill switch), measure and store, then return to where you were.',
  ),
  cancelMeasurement: command(Empty, z.object({ cancelled: z.boolean() }), 'Stop a running Measure all; it still returns to where you were.'),
  getLogs: command(z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(), z.array(LogEntrySchema), 'Recent log lines.'),
  newIdentity: command(
    Empty,
    ConnectionDetailsSchema,
    'Tor: new circuits for new connections (SIGNAL NEWNYM; tor allows one per 10 s). Answers the details now; the new circuit follows as a state event.',
  ),
  listDvpnNodes: command(
    DvpnNodesRequestSchema,
    DvpnNodesSchema,
    'dVPN (Mysterium): the identity\'s registration and balance, and the nodes on offer (country, price, quality) for the node picker.',
  ),
  dvpnIdentity: command(
    DvpnIdentityRequestSchema,
    DvpnIdentitySchema,
    'dVPN (Mysterium): the profile\'s identity, its registration state and balance, and what to do next (register, top up).',
  ),
  registerDvpnIdentity: command(
    RegisterDvpnRequestSchema,
    RegisterDvpnResultSchema,
    'dVPN (Mysterium): the free registration of the profile\'s identity (eligibility, then register over TequilAPI); progress is pushed as dvpnRegistration events. Burrow never pays.',
  ),
  importDvpnIdentity: command(
    ImportDvpnIdentityRequestSchema,
    ImportDvpnIdentityResultSchema,
    'dVPN (Mysterium): use your own identity: its keystore file goes into myst\'s keystore (POST /identities-import) and the profile names it from then on.',
  ),
  updateProfile: command(
    UpdateProfileRequestSchema,
    ProfileSummarySchema,
    'Change a profile\'s own settings: the dVPN node (or country), the Nym mixing delay and cover traffic. Applies at the next connect.',
  ),
  nymSettings: command(
    NymSettingsRequestSchema,
    NymSettingsSchema,
    'Nym: the profile\'s mixing delay and cover traffic, with their stated cost and what Burrow measured through it.',
  ),
  probe: command(
    ProbeRequestSchema,
    ProbeResultSchema,
    'Reachability probe: is each profile\'s WireGuard handshake answered, are its bridges reachable, how far does a fresh Tor bootstrap get? A plain verdict with evidence per path (runs outside any tunnel; refused while connected or locked down).',
  ),
  smartConnect: command(
    SmartConnectRequestSchema,
    SmartConnectResultSchema,
    'Smart connect: walk the ladder for the goal (WireGuard → … → Tor → Tor over obfs4 → Nym) through the kill switch, one rung at a time, starting at what worked on this network.',
  ),
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
export const COMMAND_NAMES = Object.keys(commands) as CommandName[];

/** What a caller sends (before defaults are applied). */
export type CommandRequest<N extends CommandName> = z.input<Commands[N]['request']>;
/** What a handler receives (after validation). */
export type ValidCommandRequest<N extends CommandName> = z.output<Commands[N]['request']>;
export type CommandResponse<N extends CommandName> = z.output<Commands[N]['response']>;

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commands, value);
}
