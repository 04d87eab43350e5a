// The probe's verdicts, one line per path: the outcome as a chip, the sentence, the target.
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import type { ProbeVerdict } from '../../../../app/contract/probe.js';

const COLOR = { reachable: 'success', blocked: 'error', unreachable: 'warning', untested: 'default' } as const;

export function ProbeList({ verdicts }: { verdicts: ProbeVerdict[] }) {
  if (verdicts.length === 0) return <ListItemText primary="No profiles to probe yet: import one first." />;
  return (
    <List dense aria-label="Probe verdicts">
      {verdicts.map((v) => (
        <ListItem key={`${v.profile}-${v.transport}-${v.target}`} sx={{ gap: 1 }}>
          <Chip size="small" color={COLOR[v.outcome]} label={v.outcome} />
          <ListItemText primary={v.sentence} secondary={`${v.profile} · ${v.transport}${v.target ? ` · ${v.target}` : ''}`} />
        </ListItem>
      ))}
    </List>
  );
}
