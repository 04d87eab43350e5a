import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app-shell.js';

export class LogsPage extends AppShell {
  readonly lines: Locator;
  readonly minimumLevel: Locator;
  readonly search: Locator;

  constructor(page: Page) {
    super(page);
    this.lines = page.getByRole('list', { name: 'Log lines' }).getByRole('listitem');
    this.minimumLevel = page.getByRole('combobox', { name: 'Minimum level' });
    this.search = page.getByRole('textbox', { name: 'Search' });
  }
}
