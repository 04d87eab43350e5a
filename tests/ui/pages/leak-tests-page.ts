import type { Locator, Page } from 'playwright-core';
import type { LeakTestKind } from '../../../app/domain/index.js';
import { AppShell } from './app-shell.js';

export class LeakTestsPage extends AppShell {
  readonly runAll: Locator;
  readonly notBuilt: Locator;
  readonly verdicts: Locator;
  readonly progress: Locator;
  readonly history: Locator;
  readonly historyChart: Locator;
  readonly historyRuns: Locator;
  readonly leakServerField: Locator;

  constructor(page: Page) {
    super(page);
    this.runAll = page.getByRole('button', { name: 'Run all' });
    this.notBuilt = page.getByTestId('leaks-not-built');
    this.verdicts = page.getByTestId('leak-verdict');
    this.progress = page.getByTestId('leak-progress');
    this.history = page.getByTestId('leak-history');
    this.historyChart = page.getByTestId('leak-history-chart');
    this.historyRuns = page.getByTestId('leak-history-run');
    this.leakServerField = page.getByRole('textbox', { name: 'Leak server URL' });
  }

  card(test: LeakTestKind): Locator {
    return this.page.getByTestId(`leak-card-${test}`);
  }

  verdict(test: LeakTestKind): Locator {
    return this.card(test).getByTestId('leak-verdict');
  }

  summary(test: LeakTestKind): Locator {
    return this.card(test).getByTestId('leak-summary');
  }

  evidence(test: LeakTestKind): Locator {
    return this.card(test).getByTestId('leak-evidence');
  }
}
