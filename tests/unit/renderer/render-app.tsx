// Renders the whole renderer app against a FakeHost, the way main.tsx does against a real one.
import { render, type RenderResult } from '@testing-library/react';
import { NotifyProvider } from '../../../renderer/src/notify/NotifyProvider.js';
import { App } from '../../../renderer/src/shell/App.js';
import { BurrowStore } from '../../../renderer/src/store/burrow-store.js';
import { StoreProvider } from '../../../renderer/src/store/store-context.js';
import { ThemeModeProvider } from '../../../renderer/src/theme/ThemeModeProvider.js';
import type { FakeHost } from './fake-host.js';

export function renderApp(host: FakeHost, page = 'connect'): RenderResult & { store: BurrowStore } {
  window.location.hash = `#/${page}`;
  const store = new BurrowStore(host.link());
  store.start();
  const result = render(
    <StoreProvider store={store}>
      <ThemeModeProvider>
        <NotifyProvider>
          <App />
        </NotifyProvider>
      </ThemeModeProvider>
    </StoreProvider>,
  );
  return { ...result, store };
}
