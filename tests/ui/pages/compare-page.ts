import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app-shell.js';

export class ComparePage extends AppShell {
  readonly notBuilt: Locator;
  readonly table: Locator;

  constructor(page: Page) {
    super(page);
    this.notBuilt = page.getByTestId('compare-not-built');
    this.table = page.getByRole('table', { name: 'Networks compared' });
  }
}
