// "Use my own identity": a keystore file (myst's keystore/UTC--…, or any Ethereum wallet's version-3 file)
// and its passphrase go to the host once (importDvpnIdentity); the host hands them to myst and makes the
// profile name that identity. The passphrase stays in this dialog's state only until it is sent.
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { MAX_KEYSTORE_BYTES, type DvpnIdentity } from '../../../../app/contract/index.js';
import { useCommand } from '../../notify/use-command.js';

export function ImportIdentityDialog({ profileId, open, onClose, onImported }: { profileId: string; open: boolean; onClose: () => void; onImported: (identity: DvpnIdentity) => void }) {
  const command = useCommand();
  const [keystore, setKeystore] = useState<{ name: string; text: string } | undefined>(undefined);
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);

  const close = (): void => {
    setPassphrase('');
    setKeystore(undefined);
    setProblem(undefined);
    onClose();
  };

  const pick = async (file: File | undefined): Promise<void> => {
    setProblem(undefined);
    if (file === undefined) return setKeystore(undefined);
    if (file.size > MAX_KEYSTORE_BYTES) return setProblem(`${file.name} is ${file.size} bytes; a keystore file is at most 64 KiB.`);
    setKeystore({ name: file.name, text: await file.text() });
  };

  const send = async (): Promise<void> => {
    if (keystore === undefined) return;
    const result = await command.run((client) => client.importDvpnIdentity({ profile: profileId, keystore: keystore.text, passphrase }), 'Could not import the identity');
    setPassphrase('');
    if (result) {
      onImported(result.identity);
      close();
    }
  };

  return (
    <Dialog open={open} onClose={close} aria-labelledby="import-identity-title" fullWidth maxWidth="sm">
      <DialogTitle id="import-identity-title">Use my own Mysterium identity</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <DialogContentText>
            Choose the identity&apos;s keystore file (myst keeps them as keystore/UTC--date--address in its data directory) and type the passphrase it is
            encrypted with. myst keeps the identity from then on; Burrow does not keep the passphrase.
          </DialogContentText>
          <Button variant="outlined" component="label">
            Choose keystore file
            <input hidden type="file" accept=".json,application/json,*" aria-label="Keystore file" onChange={(event) => void pick(event.target.files?.[0])} />
          </Button>
          <Typography variant="body2" data-testid="keystore-name">
            {keystore === undefined ? 'No file chosen.' : keystore.name}
          </Typography>
          <TextField type="password" label="Passphrase of the keystore file" value={passphrase} onChange={(event) => setPassphrase(event.target.value)} autoComplete="off" />
          {problem === undefined ? null : <Typography color="error">{problem}</Typography>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button variant="contained" disabled={keystore === undefined || passphrase === '' || command.pending} onClick={() => void send()}>
          Import
        </Button>
      </DialogActions>
    </Dialog>
  );
}
