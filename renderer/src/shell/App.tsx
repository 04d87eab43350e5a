// Chooses what the window shows from the link to the host: reaching it, unreachable, or the app.
import { useStore, useView } from '../store/store-context.js';
import { AppShell } from './AppShell.js';
import { LoadingScreen } from './LoadingScreen.js';
import { UnreachableScreen } from './UnreachableScreen.js';

export function App() {
  const store = useStore();
  const { host, snapshot } = useView();
  if (host.phase === 'unreachable') {
    return (
      <UnreachableScreen
        reason={host.reason}
        where={store.linkDescription}
        retryAt={host.retryAt}
        retrying={host.retrying}
        {...(store.canReconnect ? { onRetry: () => store.start() } : {})}
      />
    );
  }
  if (host.phase === 'connecting' || !snapshot) return <LoadingScreen where={store.linkDescription} />;
  return <AppShell />;
}
