import Box from '@mui/material/Box';
import type { LogEntry } from '../../../../app/domain/index.js';
import { formatTime } from '../../lib/format.js';

const LEVEL_COLOR = { debug: 'text.secondary', info: 'info.main', warn: 'warning.main', error: 'error.main' } as const;

export function LogLine({ entry }: { entry: LogEntry }) {
  return (
    <Box
      component="li"
      sx={{
        display: 'grid',
        gridTemplateColumns: '88px 52px 110px 1fr',
        gap: 1.5,
        px: 2,
        py: 0.5,
        fontFamily: 'monospace',
        fontSize: 13,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Box component="time" dateTime={entry.at} sx={{ color: 'text.secondary' }}>
        {formatTime(entry.at)}
      </Box>
      <Box sx={{ color: LEVEL_COLOR[entry.level], fontWeight: 700 }}>{entry.level}</Box>
      <Box sx={{ color: 'text.secondary', overflow: 'hidden', textOverflow: 'ellipsis' }}>{entry.source}</Box>
      <Box sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{entry.message}</Box>
    </Box>
  );
}
