// The frame around every page: navigation, the state chip in the top bar, the theme switch.
import type { Locator, Page } from 'playwright-core';

export type PageName = 'Connect' | 'Leak tests' | 'Compare' | 'Profiles' | 'Settings' | 'Logs';

export class AppShell {
  readonly stateChip: Locator;
  readonly themeToggle: Locator;
  readonly title: Locator;
  readonly snackbar: Locator;

  constructor(readonly page: Page) {
    this.stateChip = page.getByTestId('state-chip');
    this.themeToggle = page.getByRole('button', { name: /Switch to (dark|light) theme/ });
    this.title = page.getByRole('banner').getByRole('heading', { level: 1 });
    this.snackbar = page.locator('.MuiSnackbar-root').getByRole('alert');
  }

  async goto(name: PageName): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
    await this.title.filter({ hasText: name }).waitFor();
  }

  /** 'light' or 'dark', as the app applied it. */
  async theme(): Promise<string | undefined> {
    return this.page.evaluate(() => document.documentElement.dataset['theme']);
  }

  async backgroundColor(): Promise<string> {
    return this.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  }
}
