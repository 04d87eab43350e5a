import type { Locator, Page } from 'playwright-core';
import { AppShell } from './app-shell.js';

export class SettingsPage extends AppShell {
  readonly killSwitch: Locator;
  readonly lockdown: Locator;
  readonly allowLan: Locator;
  readonly dnsServers: Locator;
  readonly saveDnsServers: Locator;
  readonly leakServer: Locator;

  constructor(page: Page) {
    super(page);
    this.killSwitch = page.getByRole('switch', { name: 'Kill switch' });
    this.lockdown = page.getByRole('switch', { name: 'Lockdown mode' });
    this.allowLan = page.getByRole('switch', { name: 'Allow local network' });
    this.dnsServers = page.getByRole('textbox', { name: 'DNS servers' });
    this.saveDnsServers = page.getByRole('button', { name: 'Save dns servers' });
    this.leakServer = page.getByRole('textbox', { name: 'Leak server URL' });
  }
}
