// User settings the host owns: the kill switch family and DNS.
import { z } from 'zod';

const IpAddress = z.union([z.ipv4(), z.ipv6()]);

export const SettingsSchema = z.object({
  /** Block traffic outside the tunnel while connecting, reconnecting and after an error. */
  killSwitch: z.boolean(),
  /** Block traffic even while disconnected, until the user connects or turns lockdown off. */
  lockdown: z.boolean(),
  /** Let traffic to private LAN ranges bypass the tunnel (printers, NAS). */
  allowLan: z.boolean(),
  dns: z.object({
    /** Empty: use the tunnel's own DNS. Otherwise these servers, reached through the tunnel. */
    servers: z.array(IpAddress).max(8),
  }),
  /** The leak-test server (burrow leakd) the leak tests ask; empty until the user names one they trust. */
  leakServer: z.object({
    url: z.string().max(2048),
    /** The same server by an IPv6 address, so the IPv6 tests can reach it when `url` names an IPv4 address. */
    urlV6: z.string().max(2048).optional(),
  }),
  /**
   * Start the desktop app in the tray when the person logs in. Stored here like every setting; the desktop
   * shell writes or removes ~/.config/autostart/burrow.desktop to match (a headless host has no session).
   */
  autostart: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z
  .object({
    killSwitch: z.boolean(),
    lockdown: z.boolean(),
    allowLan: z.boolean(),
    dns: SettingsSchema.shape.dns,
    leakServer: SettingsSchema.shape.leakServer.partial(),
    autostart: z.boolean(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = {
  killSwitch: true,
  lockdown: false,
  allowLan: false,
  dns: { servers: [] },
  leakServer: { url: '' },
  autostart: false,
};
