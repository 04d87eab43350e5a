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

  /** The history chart's drawn bars: each series' (passed, leaked, notTested) bar height in pixels, for bars drawn taller than 0. */
  historyBarHeights(): Promise<Record<string, number>> {
    // The chart's drawing layer (the legend's little marks are svgs of their own).
    return this.historyChart.locator('svg.MuiChartsSvgLayer-root').evaluate((svg) => {
      const out: Record<string, number> = {};
      for (const series of svg.querySelectorAll('g.MuiBarChart-series[data-series]')) {
        const height = [...series.querySelectorAll('.MuiBarChart-element')].reduce((sum, bar) => sum + bar.getBoundingClientRect().height, 0);
        if (height > 0.5) out[series.getAttribute('data-series') ?? ''] = height;
      }
      return out;
    });
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
