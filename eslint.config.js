// Lint what matters (shared/STYLE.md): floating promises, unsafe `any` at boundaries, and the layer rules
// of shared/ARCHITECTURE.md — an import across a layer boundary fails here, not in review.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'dgram', 'dns'];
// app/ as a whole: no UI and no other layer of the repo (repeated where a narrower block adds rules, since a
// later block's no-restricted-imports replaces an earlier one's for the files it matches).
const appPatterns = [
  { group: ['electron', 'react', 'react-dom', '@mui/*', '@emotion/*'], message: 'app/ never imports electron or UI code.' },
  { group: ['**/electron/**', '**/renderer/**', '**/native/**', '**/tests/**'], message: 'app/ imports nothing else of the repo.' },
];
const noNode = nodeBuiltins.map((name) => ({ group: [name], message: 'This layer runs in the browser too: no Node built-ins.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-output/**', 'coverage/**', 'resources/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  // app/ is the core: never electron, React, the DOM, or another layer of the repo.
  {
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: appPatterns }],
    },
  },
  // The networks are below the host that composes them: never an arrow back up (ProfileParser is declared
  // with the driver interface in app/supervisor/driver.ts; finding executables is app/networks/helper/).
  // A network never reaches into a sibling's folder either: what two share lives in app/networks/helper/.
  {
    files: ['app/networks/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ...appPatterns,
        { group: ['**/host/**', '**/cli/**'], message: 'app/networks/ never imports the host or the CLI that compose it.' },
        { group: ['../nym/**', '../dvpn/**', '../tor/**', '../wireguard/**'], message: 'A network never imports a sibling network: put what they share in app/networks/helper/.' },
      ] }],
    },
  },
  // domain and contract are shared with the renderer: environment-neutral.
  {
    files: ['app/domain/**/*.ts', 'app/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ...noNode,
        { group: ['electron', 'react', '@mui/*'], message: 'domain and contract are environment-neutral.' },
        { group: ['../supervisor/**', '../store/**', '../host/**', '../cli/**', '../networks/**', '../firewall/**', '../leaks/**', '../measure/**'], message: 'domain and contract depend on nothing but each other.' },
      ] }],
    },
  },
  // native/ may import app/domain and app/contract, and app/firewall: netd generates the ruleset itself
  // from a validated policy description (a deliberate exception: root runs text that netd built, never
  // text the host sent).
  {
    files: ['native/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'react', '@mui/*', '**/electron/**', '**/renderer/**'], message: 'native/ may import only app/domain, app/contract and app/firewall.' },
        { group: ['**/app/!(domain|contract|firewall)/**'], message: 'native/ may import only app/domain, app/contract and app/firewall.' },
      ] }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['react', '@mui/*', '**/renderer/**', '**/native/**'], message: 'electron/ imports app/ only.' },
      ] }],
    },
  },
  {
    files: ['renderer/src/**/*.ts', 'renderer/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ...noNode,
        { group: ['electron', '**/electron/**', '**/native/**'], message: 'The renderer talks only through the contract.' },
        { group: ['**/app/!(domain|contract)/**'], message: 'The renderer imports only app/domain and app/contract.' },
      ] }],
    },
  },
);
