// Things the host says the person must know now (a database moved aside, netd missing, ...).
import Alert from '@mui/material/Alert';
import Stack from '@mui/material/Stack';
import { useSnapshot } from '../store/store-context.js';

export function Notices() {
  const { notices } = useSnapshot();
  if (notices.length === 0) return null;
  return (
    <Stack spacing={1} sx={{ mb: 2 }} aria-label="Notices from the host">
      {notices.map((notice, index) => (
        <Alert key={index} severity={notice.level === 'warn' ? 'warning' : notice.level} sx={{ whiteSpace: 'pre-wrap' }}>
          {notice.message}
        </Alert>
      ))}
    </Stack>
  );
}
