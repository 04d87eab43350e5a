// A relaunch (the launcher clicked again, autostart racing a manual start) must reach the running app even
// while it is still starting up: the listener is registered right after the single-instance lock, and a
// request that arrives before the window can be shown is kept until it can.
import { parseLaunchArgs } from './launch-args.js';

export class SecondInstanceRelay {
  private show: (() => void) | undefined;
  private pending = false;

  /** A second launch with these arguments (`--hidden` ones only wake nothing). */
  request(argv: readonly string[]): void {
    if (parseLaunchArgs(argv).hidden) return;
    if (this.show === undefined) this.pending = true;
    else this.show();
  }

  /** Start-up is done: from now on requests show the window; one that came early does so now. */
  attach(show: () => void): void {
    this.show = show;
    if (this.pending) {
      this.pending = false;
      show();
    }
  }
}
