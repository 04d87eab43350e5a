// One Snackbar for the whole app: command failures show the host's own message.
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Snackbar from '@mui/material/Snackbar';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { toShownError, type ShownError } from './error-text.js';

interface Notice {
  key: number;
  severity: 'error' | 'success' | 'info';
  title?: string;
  message: string;
}

export interface Notifier {
  error(error: unknown, title?: string): void;
  success(message: string): void;
}

const NotifyContext = createContext<Notifier | null>(null);

export function useNotify(): Notifier {
  const notifier = useContext(NotifyContext);
  if (!notifier) throw new Error('useNotify needs a NotifyProvider above it.');
  return notifier;
}

let nextKey = 1;

export function NotifyProvider({ children }: { children: ReactNode }) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [open, setOpen] = useState(false);

  const show = useCallback((next: Omit<Notice, 'key'>) => {
    setNotice({ ...next, key: nextKey++ });
    setOpen(true);
  }, []);

  const notifier = useMemo<Notifier>(
    () => ({
      error(error, title) {
        const shown: ShownError = toShownError(error);
        show({ severity: 'error', message: shown.message, ...(title === undefined ? {} : { title }) });
      },
      success(message) {
        show({ severity: 'success', message });
      },
    }),
    [show],
  );

  return (
    <NotifyContext.Provider value={notifier}>
      {children}
      <Snackbar
        key={notice?.key}
        open={open}
        autoHideDuration={notice?.severity === 'error' ? 12000 : 4000}
        onClose={(_event, reason) => {
          if (reason !== 'clickaway') setOpen(false);
        }}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        {notice ? (
          <Alert severity={notice.severity} variant="filled" onClose={() => setOpen(false)} sx={{ maxWidth: 640, whiteSpace: 'pre-wrap' }}>
            {notice.title ? <AlertTitle>{notice.title}</AlertTitle> : null}
            {notice.message}
          </Alert>
        ) : undefined}
      </Snackbar>
    </NotifyContext.Provider>
  );
}
