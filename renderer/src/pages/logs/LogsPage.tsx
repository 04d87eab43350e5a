// Logs: the host's recent lines (getLogs) and every `log` event after them, filtered by level.
import RefreshIcon from '@mui/icons-material/Refresh';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LogEntry } from '../../../../app/domain/index.js';
import { useNotify } from '../../notify/NotifyProvider.js';
import { useStore, useView } from '../../store/store-context.js';
import { LogLine } from './LogLine.js';

const LEVELS: Array<LogEntry['level']> = ['debug', 'info', 'warn', 'error'];
const SHOWN_LINES = 500;

export function LogsPage() {
  const store = useStore();
  const notify = useNotify();
  const { logs } = useView();
  const [minimum, setMinimum] = useState<LogEntry['level']>('info');
  const [search, setSearch] = useState('');

  const load = useCallback(async (): Promise<void> => {
    try {
      await store.loadLogs();
    } catch (error) {
      notify.error(error, 'Could not load the logs');
    }
  }, [store, notify]);

  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => {
    const floor = LEVELS.indexOf(minimum);
    const needle = search.trim().toLowerCase();
    return logs
      .filter((entry) => LEVELS.indexOf(entry.level) >= floor)
      .filter((entry) => !needle || entry.message.toLowerCase().includes(needle) || entry.source.toLowerCase().includes(needle))
      .slice(-SHOWN_LINES)
      .reverse();
  }, [logs, minimum, search]);

  return (
    <Box>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <TextField select size="small" label="Minimum level" value={minimum} onChange={(event) => setMinimum(event.target.value as LogEntry['level'])} sx={{ width: 180 }}>
          {LEVELS.map((level) => (
            <MenuItem key={level} value={level}>
              {level}
            </MenuItem>
          ))}
        </TextField>
        <TextField size="small" label="Search" value={search} onChange={(event) => setSearch(event.target.value)} sx={{ flexGrow: 1, minWidth: 200 }} />
        <Button startIcon={<RefreshIcon />} onClick={() => void load()}>
          Reload
        </Button>
      </Box>
      <Paper variant="outlined" sx={{ overflow: 'auto', maxHeight: 'calc(100vh - 220px)' }}>
        {shown.length === 0 ? (
          <Typography color="text.secondary" sx={{ p: 2 }}>
            No log lines at this level yet.
          </Typography>
        ) : (
          <Box component="ol" aria-label="Log lines" sx={{ listStyle: 'none', m: 0, p: 0 }}>
            {shown.map((entry, index) => (
              <LogLine key={`${entry.at}-${index}`} entry={entry} />
            ))}
          </Box>
        )}
      </Paper>
    </Box>
  );
}
