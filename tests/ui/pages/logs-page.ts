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

  /** Each shown line as "level source message" (the time cell left out), newest first as the page lists them. */
  shownLines(): Promise<string[]> {
    return this.lines.evaluateAll((items) => items.map((item) => [...item.children].slice(1).map((cell) => cell.textContent ?? '').join(' ')));
  }
}
