// The left navigation: one link per page, the current one marked for assistive technology too.
import AltRouteIcon from '@mui/icons-material/AltRoute';
import CompareArrowsIcon from '@mui/icons-material/CompareArrows';
import PowerSettingsNewIcon from '@mui/icons-material/PowerSettingsNew';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import SecurityIcon from '@mui/icons-material/Security';
import SettingsIcon from '@mui/icons-material/Settings';
import ShieldIcon from '@mui/icons-material/Shield';
import VpnKeyIcon from '@mui/icons-material/VpnKey';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import type { ReactElement } from 'react';
import { PAGES, hrefFor, type PageId } from '../lib/routes.js';

export const DRAWER_WIDTH = 212;

const ICONS: Record<PageId, ReactElement> = {
  connect: <PowerSettingsNewIcon />,
  'get-through': <AltRouteIcon />,
  leaks: <SecurityIcon />,
  compare: <CompareArrowsIcon />,
  profiles: <VpnKeyIcon />,
  settings: <SettingsIcon />,
  logs: <ReceiptLongIcon />,
};

export function NavDrawer({ current, version }: { current: PageId; version: string }) {
  return (
    <Drawer
      variant="permanent"
      sx={{ width: DRAWER_WIDTH, flexShrink: 0, '& .MuiDrawer-paper': { width: DRAWER_WIDTH, boxSizing: 'border-box' } }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 2, py: 2.25 }}>
        <ShieldIcon color="primary" />
        <Typography variant="h6" component="div">
          Burrow
        </Typography>
      </Box>
      <Box component="nav" aria-label="Pages">
        <List>
          {PAGES.map((page) => (
            <ListItemButton
              key={page.id}
              component="a"
              href={hrefFor(page.id)}
              selected={page.id === current}
              aria-current={page.id === current ? 'page' : undefined}
              sx={{ mx: 1, borderRadius: 2 }}
            >
              <ListItemIcon sx={{ minWidth: 36 }}>{ICONS[page.id]}</ListItemIcon>
              <ListItemText primary={page.label} />
            </ListItemButton>
          ))}
        </List>
      </Box>
      <Typography variant="caption" color="text.secondary" sx={{ mt: 'auto', px: 2, py: 1.5 }}>
        Burrow {version}
      </Typography>
    </Drawer>
  );
}
