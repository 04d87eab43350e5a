// The imported profiles as the host pushed them (never their secrets), each removable.
import DeleteIcon from '@mui/icons-material/Delete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { NETWORK_LABELS, type ProfileSummary } from '../../../../app/domain/index.js';
import { formatDateTime, formatValue, humanizeKey } from '../../lib/format.js';
import { useCommand } from '../../notify/use-command.js';

export function ProfileList({ profiles }: { profiles: ProfileSummary[] }) {
  const command = useCommand();
  const [removing, setRemoving] = useState<ProfileSummary | null>(null);

  const confirmRemove = async (): Promise<void> => {
    const profile = removing;
    setRemoving(null);
    if (profile) await command.run((client) => client.removeProfile({ id: profile.id }), `Could not remove ${profile.name}`);
  };

  return (
    <Paper variant="outlined" component="section" aria-labelledby="profiles-title" sx={{ p: 3 }}>
      <Typography id="profiles-title" variant="h6" component="h2">
        Profiles
      </Typography>
      {profiles.length === 0 ? (
        <Typography color="text.secondary" sx={{ mt: 1 }}>
          No profiles yet.
        </Typography>
      ) : (
        <List aria-label="Imported profiles">
          {profiles.map((profile) => (
            <ListItem
              key={profile.id}
              divider
              secondaryAction={
                <IconButton edge="end" aria-label={`Remove ${profile.name}`} onClick={() => setRemoving(profile)} disabled={command.pending}>
                  <DeleteIcon />
                </IconButton>
              }
            >
              <ListItemText
                primary={
                  <Box component="span" sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
                    {profile.name}
                    <Chip size="small" label={NETWORK_LABELS[profile.network]} />
                  </Box>
                }
                secondary={<ProfileFacts profile={profile} />}
                slotProps={{ secondary: { component: 'div' } }}
              />
            </ListItem>
          ))}
        </List>
      )}
      <Dialog open={removing !== null} onClose={() => setRemoving(null)} aria-labelledby="remove-title">
        <DialogTitle id="remove-title">Remove {removing?.name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>The profile and its secrets are deleted from this machine. Import the file again to use it.</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRemoving(null)}>Keep</Button>
          <Button color="error" onClick={() => void confirmRemove()}>
            Remove
          </Button>
        </DialogActions>
      </Dialog>
    </Paper>
  );
}

function ProfileFacts({ profile }: { profile: ProfileSummary }) {
  const facts = Object.entries(profile.details);
  return (
    <Box component="span" sx={{ display: 'block', mt: 0.5 }}>
      {facts.map(([key, value]) => (
        <Box component="span" key={key} sx={{ display: 'block' }}>
          {humanizeKey(key)}: <Box component="span" sx={{ fontFamily: 'monospace' }}>{formatValue(value)}</Box>
        </Box>
      ))}
      <Box component="span" sx={{ display: 'block' }}>
        Imported {formatDateTime(profile.createdAt)}
      </Box>
    </Box>
  );
}
