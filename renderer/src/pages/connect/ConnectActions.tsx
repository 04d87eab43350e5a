// The one big button. It sends a command; only the host's next `state` event changes what it says.
import PowerSettingsNewIcon from '@mui/icons-material/PowerSettingsNew';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import type { ProfileSummary, TunnelState } from '../../../../app/domain/index.js';
import { useCommand } from '../../notify/use-command.js';

export interface ConnectActionsProps {
  state: TunnelState;
  /** The profile chosen in the picker, if any. */
  selected: ProfileSummary | undefined;
}

export function ConnectActions({ state, selected }: ConnectActionsProps) {
  const command = useCommand();
  const connect = (): void => {
    void command.run(
      (client) => client.connect({ ...(selected ? { profile: selected.id } : {}), wait: false }),
      'Could not connect',
    );
  };
  const disconnect = (): void => {
    void command.run((client) => client.disconnect(), 'Could not disconnect');
  };

  const big = { size: 'large', fullWidth: true, sx: { py: 1.75, fontSize: '1.1rem' } } as const;
  switch (state.state) {
    case 'disconnected':
    case 'error':
      return (
        <Stack spacing={1.5}>
          <Button {...big} variant="contained" color="success" startIcon={<PowerSettingsNewIcon />} onClick={connect} disabled={command.pending}>
            Connect
          </Button>
          {state.state === 'error' && state.blocking ? (
            <Button {...big} variant="outlined" color="inherit" onClick={disconnect} disabled={command.pending}>
              Disconnect and stop blocking
            </Button>
          ) : null}
        </Stack>
      );
    case 'connecting':
      return (
        <Button {...big} variant="outlined" color="error" onClick={disconnect} disabled={command.pending}>
          Cancel
        </Button>
      );
    case 'connected': {
      const switchTo = selected && selected.id !== state.target.profileId ? selected : undefined;
      return (
        <Stack spacing={1.5}>
          {switchTo ? (
            <Button {...big} variant="contained" onClick={connect} disabled={command.pending}>
              Switch to {switchTo.name}
            </Button>
          ) : null}
          <Button {...big} variant="contained" color="error" startIcon={<PowerSettingsNewIcon />} onClick={disconnect} disabled={command.pending}>
            Disconnect
          </Button>
        </Stack>
      );
    }
    case 'disconnecting':
      return (
        <Button {...big} variant="outlined" disabled>
          {state.then === 'reconnect' ? 'Switching…' : 'Disconnecting…'}
        </Button>
      );
  }
}
