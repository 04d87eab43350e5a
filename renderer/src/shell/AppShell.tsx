// The frame every page lives in: navigation on the left, the top bar, the host's notices, the page.
import Box from '@mui/material/Box';
import Container from '@mui/material/Container';
import type { ReactElement } from 'react';
import { PAGES, useCurrentPage, type PageId } from '../lib/routes.js';
import { ComparePage } from '../pages/compare/ComparePage.js';
import { ConnectPage } from '../pages/connect/ConnectPage.js';
import { GetThroughPage } from '../pages/get-through/GetThroughPage.js';
import { LeakTestsPage } from '../pages/leaks/LeakTestsPage.js';
import { LogsPage } from '../pages/logs/LogsPage.js';
import { ProfilesPage } from '../pages/profiles/ProfilesPage.js';
import { SettingsPage } from '../pages/settings/SettingsPage.js';
import { useSnapshot } from '../store/store-context.js';
import { NavDrawer } from './NavDrawer.js';
import { Notices } from './Notices.js';
import { TopBar } from './TopBar.js';

const PAGE_VIEWS: Record<PageId, () => ReactElement> = {
  connect: ConnectPage,
  'get-through': GetThroughPage,
  leaks: LeakTestsPage,
  compare: ComparePage,
  profiles: ProfilesPage,
  settings: SettingsPage,
  logs: LogsPage,
};

export function AppShell() {
  const page = useCurrentPage();
  const { versions } = useSnapshot();
  const Page = PAGE_VIEWS[page];
  const title = PAGES.find((entry) => entry.id === page)?.label ?? '';
  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <NavDrawer current={page} version={versions.burrow} />
      <Box sx={{ flexGrow: 1, minWidth: 0 }}>
        <TopBar title={title} />
        <Container component="main" maxWidth="lg" sx={{ py: 3 }}>
          <Notices />
          <Page />
        </Container>
      </Box>
    </Box>
  );
}
