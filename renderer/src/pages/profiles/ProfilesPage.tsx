// Profiles: what is imported (pushed by the host) and a form to import more.
import Stack from '@mui/material/Stack';
import { useSnapshot } from '../../store/store-context.js';
import { ImportProfileForm } from './ImportProfileForm.js';
import { ProfileList } from './ProfileList.js';

export function ProfilesPage() {
  const { profiles } = useSnapshot();
  return (
    <Stack spacing={3}>
      <ProfileList profiles={profiles} />
      <ImportProfileForm />
    </Stack>
  );
}
