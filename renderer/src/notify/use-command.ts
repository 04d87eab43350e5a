// Runs a command against the host and reports a failure in the Snackbar; `pending` is for disabling the
// control that sent it, never for showing a result the host has not pushed.
import { useCallback, useState } from 'react';
import type { ContractClient } from '../../../app/contract/index.js';
import { useStore } from '../store/store-context.js';
import { useNotify } from './NotifyProvider.js';

export interface CommandRunner {
  pending: boolean;
  /** Resolves with the answer, or undefined after showing the error. */
  run<T>(call: (client: ContractClient) => Promise<T>, title?: string): Promise<T | undefined>;
}

export function useCommand(): CommandRunner {
  const store = useStore();
  const notify = useNotify();
  const [pending, setPending] = useState(false);

  const run = useCallback(
    async <T,>(call: (client: ContractClient) => Promise<T>, title?: string): Promise<T | undefined> => {
      setPending(true);
      try {
        return await call(store.client());
      } catch (error) {
        notify.error(error, title);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [store, notify],
  );

  return { pending, run };
}
