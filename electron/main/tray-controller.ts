// Owns the one Tray of the app's life (issue 9): created once with a real icon (no createEmpty()
// placeholder: GNOME on Wayland then never updates it), menu replaced through the throttle, icon swapped
// with setImage and animated only while connecting. Never destroyed and recreated while the app runs.
import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import { join } from 'node:path';
import type { CommandHandlers } from '../../app/contract/index.js';
import { MenuThrottle, runTrayAction, toElectronTemplate, type TrayAppControl } from './tray.js';
import { CONNECTING_FRAME_MS, trayIconFor, type TrayTheme } from './tray-icons.js';
import { buildTrayMenu, trayTooltip, type TrayAction, type TrayMenuItem } from './tray-model.js';
import type { DesktopView } from './view-model.js';

export interface TrayControllerOptions {
  readonly iconsDir: string;
  readonly theme: TrayTheme;
  readonly handlers: CommandHandlers;
  readonly app: TrayAppControl;
  readonly onError: (message: string) => void;
}

export class TrayController {
  private readonly tray: Tray;
  private readonly menu: MenuThrottle<TrayMenuItem[]>;
  private readonly images = new Map<string, NativeImage>();
  private view: DesktopView;
  private frame = 0;
  private shownIcon = '';
  private animation: ReturnType<typeof setInterval> | undefined;

  constructor(
    initial: DesktopView,
    private readonly options: TrayControllerOptions,
  ) {
    this.view = initial;
    const icon = trayIconFor(initial.state, options.theme);
    this.tray = new Tray(this.image(icon.file));
    this.shownIcon = icon.file;
    // Panels that send the StatusNotifierItem "Activate" (left click) get the window; others use the menu.
    this.tray.on('click', () => options.app.showWindow());
    this.menu = new MenuThrottle((items) => {
      this.tray.setContextMenu(Menu.buildFromTemplate(toElectronTemplate(items, (action) => this.run(action))));
    });
    this.update(initial);
  }

  update(view: DesktopView): void {
    this.view = view;
    this.tray.setToolTip(trayTooltip(view.state));
    this.menu.update(buildTrayMenu(view.state, view.settings, view.profiles, view.networks));
    this.refreshIcon();
  }

  dispose(): void {
    this.menu.dispose();
    if (this.animation !== undefined) clearInterval(this.animation);
    this.animation = undefined;
    this.tray.destroy();
  }

  private run(action: TrayAction): void {
    runTrayAction(action, this.options.handlers, this.options.app)
      .then((response) => {
        if (response !== undefined && !response.ok) this.options.onError(response.error.message);
      })
      .catch((error: unknown) => this.options.onError(error instanceof Error ? error.message : String(error)));
  }

  private refreshIcon(): void {
    const icon = trayIconFor(this.view.state, this.options.theme, this.frame);
    if (icon.animated && this.animation === undefined) {
      this.animation = setInterval(() => {
        this.frame += 1;
        this.refreshIcon();
      }, CONNECTING_FRAME_MS);
    } else if (!icon.animated && this.animation !== undefined) {
      clearInterval(this.animation);
      this.animation = undefined;
      this.frame = 0;
    }
    if (icon.file === this.shownIcon) return;
    this.shownIcon = icon.file;
    this.tray.setImage(this.image(icon.file));
  }

  private image(file: string): NativeImage {
    let image = this.images.get(file);
    if (image === undefined) {
      // createFromPath also loads the @2x sibling as the 64 px representation.
      image = nativeImage.createFromPath(join(this.options.iconsDir, file));
      this.images.set(file, image);
    }
    return image;
  }
}
