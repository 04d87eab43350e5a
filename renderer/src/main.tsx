// Entry point: pick the front door, start the store, render.
// First: zod must be jitless before any schema module runs (CSP, see the module).
import './lib/zod-setup.js';
import { CacheProvider } from '@emotion/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseLink } from './host/choose-link.js';
import { NotifyProvider } from './notify/NotifyProvider.js';
import { App } from './shell/App.js';
import { BurrowStore } from './store/burrow-store.js';
import { StoreProvider } from './store/store-context.js';
import { createStyleCache } from './theme/style-cache.js';
import { ThemeModeProvider } from './theme/ThemeModeProvider.js';

const store = new BurrowStore(chooseLink());
store.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

createRoot(root).render(
  <StrictMode>
    <CacheProvider value={createStyleCache()}>
      <StoreProvider store={store}>
        <ThemeModeProvider>
          <NotifyProvider>
            <App />
          </NotifyProvider>
        </ThemeModeProvider>
      </StoreProvider>
    </CacheProvider>
  </StrictMode>,
);
