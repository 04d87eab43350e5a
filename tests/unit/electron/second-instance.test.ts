// A relaunch during start-up is kept until the window can be shown (issue 18, item 8).
import { describe, expect, it } from 'vitest';
import { SecondInstanceRelay } from '../../../electron/main/second-instance.js';

describe('SecondInstanceRelay', () => {
  it('keeps a relaunch that comes while Burrow is starting, and shows the window once start-up is done', () => {
    const relay = new SecondInstanceRelay();
    relay.request(['/opt/Burrow/burrow-desktop']);
    relay.request(['/opt/Burrow/burrow-desktop']);
    let shown = 0;
    relay.attach(() => (shown += 1));
    expect(shown).toBe(1);
    relay.request(['/opt/Burrow/burrow-desktop']);
    expect(shown).toBe(2);
  });

  it('an autostart relaunch (--hidden) wakes nothing, before or after start-up', () => {
    const relay = new SecondInstanceRelay();
    relay.request(['/opt/Burrow/burrow-desktop', '--hidden']);
    let shown = 0;
    relay.attach(() => (shown += 1));
    relay.request(['/opt/Burrow/burrow-desktop', '--hidden']);
    expect(shown).toBe(0);
  });
});
