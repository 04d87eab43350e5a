// A text setting edited as a draft and saved with a button. The draft starts from the host's value; when
// the host pushes a new value, the parent remounts this form (by key) so the draft follows it.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import { toShownError } from '../../notify/error-text.js';

export interface SettingTextFormProps {
  label: string;
  helper: string;
  initial: string;
  placeholder?: string;
  /** Sends the draft; throws the host's error to show under the field. */
  save: (draft: string) => Promise<void>;
}

export function SettingTextForm({ label, helper, initial, placeholder, save }: SettingTextFormProps) {
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (): Promise<void> => {
    setPending(true);
    setError(null);
    try {
      await save(draft);
    } catch (caught) {
      setError(toShownError(caught).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <Box
      component="form"
      sx={{ display: 'flex', gap: 1.5, alignItems: 'flex-start', py: 1.5 }}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <TextField
        fullWidth
        size="small"
        label={label}
        value={draft}
        placeholder={placeholder}
        onChange={(event) => setDraft(event.target.value)}
        error={error !== null}
        helperText={error ?? helper}
      />
      <Button type="submit" variant="outlined" disabled={pending || draft === initial} aria-label={`Save ${label.toLowerCase()}`} sx={{ mt: 0.25 }}>
        Save
      </Button>
    </Box>
  );
}
