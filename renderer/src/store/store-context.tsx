// React access to the store: the whole view through useSyncExternalStore, and the store for commands.
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Snapshot } from '../../../app/contract/index.js';
import type { BurrowStore, BurrowView } from './burrow-store.js';

const StoreContext = createContext<BurrowStore | null>(null);

export function StoreProvider({ store, children }: { store: BurrowStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStore(): BurrowStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore needs a StoreProvider above it.');
  return store;
}

export function useView(): BurrowView {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getView);
}

/** For pages shown only once the host answered: the snapshot, kept current by events. */
export function useSnapshot(): Snapshot {
  const { snapshot } = useView();
  if (!snapshot) throw new Error('useSnapshot is used only below the ready app shell.');
  return snapshot;
}
