// Settings: everything here is the host's. Controls show the last `settings` event and send changes.
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useSnapshot, useStore } from '../../store/store-context.js';
import { SettingSwitch } from './SettingSwitch.js';
import { SettingTextForm } from './SettingTextForm.js';

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id} sx={{ px: 3, py: 2 }}>
      <Typography id={id} variant="h6" component="h2" sx={{ mb: 0.5 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

function parseServers(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function SettingsPage() {
  const store = useStore();
  const { settings } = useSnapshot();
  const servers = settings.dns.servers.join(', ');

  return (
    <Stack spacing={3} sx={{ maxWidth: 760 }}>
      <Section id="settings-blocking" title="Blocking">
        <SettingSwitch
          setting="killSwitch"
          label="Kill switch"
          description="Block all traffic outside the tunnel while connecting, reconnecting and after an error, so nothing leaks when a tunnel drops."
          checked={settings.killSwitch}
        />
        <Divider />
        <SettingSwitch
          setting="lockdown"
          label="Lockdown mode"
          description="Block all traffic even while disconnected, until you connect or turn lockdown off. It holds when Burrow is not running."
          checked={settings.lockdown}
        />
        <Divider />
        <SettingSwitch
          setting="allowLan"
          label="Allow local network"
          description="Let traffic to private LAN ranges (printers, file servers) bypass the tunnel and the kill switch."
          checked={settings.allowLan}
        />
      </Section>
      <Section id="settings-dns" title="DNS">
        <SettingTextForm
          key={`dns:${servers}`}
          label="DNS servers"
          helper="Empty: the tunnel’s own DNS. Otherwise up to 8 IP addresses, separated by commas or spaces, reached through the tunnel."
          placeholder="e.g. 10.64.0.1"
          initial={servers}
          save={async (draft) => {
            await store.client().updateSettings({ dns: { servers: parseServers(draft) } });
          }}
        />
      </Section>
      <Section id="settings-desktop" title="Desktop">
        <SettingSwitch
          setting="autostart"
          label="Start when I log in"
          description="Start the Burrow app in the tray when you log in to your desktop (an entry in ~/.config/autostart)."
          checked={settings.autostart}
        />
      </Section>
      <Section id="settings-leaks" title="Leak tests">
        <SettingTextForm
          key={`leak:${settings.leakServer.url}`}
          label="Leak server URL"
          helper="The leak-test server (burrow leakd) the tests ask. Empty until you name one you trust."
          placeholder="https://leaks.example.org"
          initial={settings.leakServer.url}
          save={async (draft) => {
            await store.client().updateSettings({ leakServer: { url: draft.trim() } });
          }}
        />
      </Section>
    </Stack>
  );
}
