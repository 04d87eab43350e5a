import type { Locator, Page } from 'playwright-core';
import type { LeakTestKind } from '../../../app/domain/index.js';
import { AppShell } from './app-shell.js';

export class LeakTestsPage extends AppShell {
  readonly runAll: Locator;
  readonly notBuilt: Locator;
  readonly verdicts: Locator;

  constructor(page: Page) {
    super(page);
    this.runAll = page.getByRole('button', { name: 'Run all' });
    this.notBuilt = page.getByTestId('leaks-not-built');
    this.verdicts = page.getByTestId('leak-verdict');
  }

  card(test: LeakTestKind): Locator {
    return this.page.getByTestId(`leak-card-${test}`);
  }
}
