// Burrow's two themes. Colours for tunnel states live here so every page paints a state the same way.
import { createTheme, type Theme } from '@mui/material/styles';

export type ThemeMode = 'light' | 'dark';

export function createBurrowTheme(mode: ThemeMode): Theme {
  const dark = mode === 'dark';
  return createTheme({
    palette: {
      mode,
      primary: { main: dark ? '#8ab4ff' : '#2450b2' },
      secondary: { main: dark ? '#c6a0ff' : '#6b3fb8' },
      success: { main: dark ? '#5fd38d' : '#1e7d45' },
      error: { main: dark ? '#ff7a7a' : '#c62828' },
      warning: { main: dark ? '#ffc266' : '#b25c00' },
      background: dark ? { default: '#10151d', paper: '#171e29' } : { default: '#f4f6fa', paper: '#ffffff' },
    },
    shape: { borderRadius: 10 },
    typography: {
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      h4: { fontWeight: 700 },
      h5: { fontWeight: 650 },
      h6: { fontWeight: 600 },
      button: { textTransform: 'none', fontWeight: 600 },
    },
    components: {
      MuiCard: { defaultProps: { variant: 'outlined' } },
      MuiPaper: { styleOverrides: { root: { backgroundImage: 'none' } } },
    },
  });
}
