import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app-shell.js';

export class ProfilesPage extends AppShell {
  readonly profileText: Locator;
  readonly profileFile: Locator;
  readonly name: Locator;
  readonly importButton: Locator;
  readonly importError: Locator;
  readonly list: Locator;

  constructor(page: Page) {
    super(page);
    this.profileText = page.getByRole('textbox', { name: 'Profile text' });
    this.profileFile = page.getByLabel('Profile file');
    this.name = page.getByRole('textbox', { name: 'Name (optional)' });
    this.importButton = page.getByRole('button', { name: 'Import', exact: true });
    this.importError = page.getByTestId('import-error');
    this.list = page.getByRole('list', { name: 'Imported profiles' });
  }

  removeButton(name: string): Locator {
    return this.page.getByRole('button', { name: `Remove ${name}` });
  }
}
