// A switch that shows the host's value: flipping it sends `updateSettings`; only the `settings` event
// that follows moves it. While the command is out the switch is disabled.
import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import { useCommand } from '../../notify/use-command.js';

export type SwitchKey = 'killSwitch' | 'lockdown' | 'allowLan' | 'autostart';

export interface SettingSwitchProps {
  setting: SwitchKey;
  label: string;
  description: string;
  checked: boolean;
}

export function SettingSwitch({ setting, label, description, checked }: SettingSwitchProps) {
  const command = useCommand();
  return (
    <Box sx={{ py: 1.5 }}>
      <FormControlLabel
        sx={{ ml: 0, width: '100%', justifyContent: 'space-between' }}
        labelPlacement="start"
        label={<Typography sx={{ fontWeight: 600 }}>{label}</Typography>}
        control={
          <Switch
            checked={checked}
            disabled={command.pending}
            onChange={(_event, value) => {
              void command.run((client) => client.updateSettings({ [setting]: value }), `Could not change ${label.toLowerCase()}`);
            }}
          />
        }
      />
      <Typography variant="body2" color="text.secondary" sx={{ pr: 8 }}>
        {description}
      </Typography>
    </Box>
  );
}
