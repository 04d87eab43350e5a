import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app-shell.js';

export class ConnectPage extends AppShell {
  readonly state: Locator;
  readonly sentence: Locator;
  readonly connectButton: Locator;
  readonly disconnectButton: Locator;
  readonly blockingIndicator: Locator;
  readonly errorCause: Locator;
  readonly profilePicker: Locator;

  constructor(page: Page) {
    super(page);
    this.state = page.getByTestId('tunnel-state');
    this.sentence = page.getByTestId('tunnel-sentence');
    this.connectButton = page.getByRole('button', { name: 'Connect', exact: true });
    this.disconnectButton = page.getByRole('button', { name: 'Disconnect', exact: true });
    this.blockingIndicator = page.getByTestId('blocking-indicator');
    this.errorCause = page.getByTestId('error-cause');
    this.profilePicker = page.getByRole('combobox', { name: 'Profile' });
  }
}
