// Import a profile from a file or pasted text. The host parses and validates it; its errors are written
// for people (with line numbers) and shown exactly as given.
import UploadFileIcon from '@mui/icons-material/UploadFile';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useRef, useState, type ChangeEvent } from 'react';
import { MAX_PROFILE_BYTES } from '../../../../app/contract/index.js';
import { NETWORK_KINDS, NETWORK_LABELS, type NetworkKind } from '../../../../app/domain/index.js';
import { toShownError } from '../../notify/error-text.js';
import { useNotify } from '../../notify/NotifyProvider.js';
import { useStore } from '../../store/store-context.js';

export function ImportProfileForm() {
  const store = useStore();
  const notify = useNotify();
  const fileInput = useRef<HTMLInputElement>(null);
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState<string | undefined>(undefined);
  const [name, setName] = useState('');
  const [network, setNetwork] = useState<NetworkKind | ''>('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const onFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_PROFILE_BYTES) {
      setError(`${file.name} is ${Math.ceil(file.size / 1024)} KiB; profile files are at most ${MAX_PROFILE_BYTES / 1024} KiB.`);
      return;
    }
    setContent(await file.text());
    setFileName(file.name);
    setError(null);
  };

  const submit = async (): Promise<void> => {
    setPending(true);
    setError(null);
    try {
      const profile = await store.client().importProfile({
        content,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(network ? { network } : {}),
        ...(fileName ? { fileName } : {}),
      });
      setContent('');
      setFileName(undefined);
      setName('');
      setNetwork('');
      notify.success(`Imported ${profile.name} (${NETWORK_LABELS[profile.network]}).`);
    } catch (caught) {
      setError(toShownError(caught).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <Paper variant="outlined" component="section" aria-labelledby="import-title" sx={{ p: 3 }}>
      <Typography id="import-title" variant="h6" component="h2" sx={{ mb: 0.5 }}>
        Import a profile
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        A WireGuard .conf from your provider or your own server, or another network’s profile. Secrets stay in the host
        and are never shown again.
      </Typography>
      <Stack spacing={2}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <Button variant="outlined" startIcon={<UploadFileIcon />} onClick={() => fileInput.current?.click()}>
            Choose file…
          </Button>
          <input ref={fileInput} type="file" hidden aria-label="Profile file" onChange={(event) => void onFile(event)} />
          <Typography variant="body2" color="text.secondary">
            {fileName ?? 'or paste the text below'}
          </Typography>
        </Box>
        <TextField
          label="Profile text"
          multiline
          minRows={5}
          maxRows={14}
          value={content}
          onChange={(event) => {
            setContent(event.target.value);
            setFileName(undefined);
          }}
          slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace', fontSize: 13 } } }}
        />
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
          <TextField label="Name (optional)" value={name} onChange={(event) => setName(event.target.value)} sx={{ flex: '1 1 220px' }} />
          <TextField
            select
            label="Network"
            value={network}
            onChange={(event) => setNetwork(event.target.value as NetworkKind | '')}
            slotProps={{ select: { displayEmpty: true }, inputLabel: { shrink: true } }}
            sx={{ flex: '1 1 220px' }}
          >
            <MenuItem value="">Detect from the file</MenuItem>
            {NETWORK_KINDS.map((kind) => (
              <MenuItem key={kind} value={kind}>
                {NETWORK_LABELS[kind]}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {error !== null ? (
          <Alert severity="error" sx={{ whiteSpace: 'pre-wrap' }} data-testid="import-error">
            <AlertTitle>The profile was not imported</AlertTitle>
            {error}
          </Alert>
        ) : null}
        <Box>
          <Button variant="contained" onClick={() => void submit()} disabled={pending || content.trim() === ''}>
            Import
          </Button>
        </Box>
      </Stack>
    </Paper>
  );
}
