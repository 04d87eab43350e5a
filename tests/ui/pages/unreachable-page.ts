import type { Locator, Page } from 'playwright-core';

/** What the window shows when the host cannot be reached or refuses the page. */
export class UnreachablePage {
  readonly heading: Locator;
  readonly reason: Locator;
  readonly reconnect: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Cannot reach the Burrow host' });
    this.reason = page.getByRole('alert').locator('p').first();
    this.reconnect = page.getByRole('button', { name: 'Reconnect' });
  }
}
