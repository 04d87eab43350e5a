// Test layers: unit (pure and local: no namespaces), lab (network namespaces, root), ui (real Chromium),
// vm (a Debian guest under qemu on a lab's wire: root, one VM at a time).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
          globalSetup: ['tests/private-tmp.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['tests/lab/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'ui',
          include: ['tests/ui/**/*.test.ts'],
          globalSetup: ['tests/private-tmp.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'vm',
          include: ['tests/vm/**/*.test.ts'],
          environment: 'node',
          // One boot is a minute or two under TCG; building the image the first time takes minutes more.
          testTimeout: 120_000,
          hookTimeout: 1_200_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
