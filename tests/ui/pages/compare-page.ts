import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app-shell.js';

export class ComparePage extends AppShell {
  readonly notBuilt: Locator;
  readonly table: Locator;
  readonly measureAll: Locator;
  readonly cancel: Locator;
  readonly progress: Locator;
  readonly result: Locator;
  readonly findings: Locator;
  readonly rttChart: Locator;
  readonly throughputChart: Locator;
  readonly privacyChart: Locator;
  readonly overview: Locator;
  readonly details: Locator;

  constructor(page: Page) {
    super(page);
    this.notBuilt = page.getByTestId('compare-not-built');
    this.table = page.getByRole('table', { name: 'Networks compared' });
    this.measureAll = page.getByRole('button', { name: 'Measure all' });
    this.cancel = page.getByRole('button', { name: 'Cancel' });
    this.progress = page.getByTestId('measure-progress');
    this.result = page.getByTestId('measure-result');
    this.findings = page.getByTestId('compare-findings');
    this.rttChart = page.getByTestId('chart-rtt');
    this.throughputChart = page.getByTestId('chart-throughput');
    this.privacyChart = page.getByTestId('chart-privacy-speed');
    this.overview = page.getByTestId('compare-overview');
    this.details = page.getByTestId('compare-details');
  }

  /** One network's card in the first view (`none`, `wireguard`, `tor`, `nym`, `dvpn`). */
  glance(network: string): Locator {
    return this.overview.getByTestId(`glance-${network}`);
  }

  /** The sentences are one click away: open them (once). */
  async openDetails(): Promise<void> {
    const summary = this.details.getByRole('button', { name: /Every fact and number/ });
    if ((await summary.getAttribute('aria-expanded')) !== 'true') await summary.click();
  }

  /** The table cell of a measured row (`throughput`, `rttMedian`, ...) for a network. */
  measuredCell(row: string, network: string): Locator {
    return this.table.getByTestId(`measured-${row}`).locator(`[data-network="${network}"]`);
  }

  /** The numbers a chart lists under it, one text per plotted point. */
  async chartValues(chart: Locator): Promise<string[]> {
    return chart.getByTestId('chart-value').evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '').join(' | ')));
  }
}
