// `burrow settings set`: every boolean setting the Settings page has is settable from the shell too.
import { describe, expect, it } from 'vitest';
import { parseSettingsAssignments } from '../../../app/cli/settings-args.js';

describe('parseSettingsAssignments', () => {
  it('knows autostart like the other switches', () => {
    expect(parseSettingsAssignments(['autostart=on', 'kill-switch=off'])).toEqual({ autostart: true, killSwitch: false });
  });

  it('names every setting when a key is unknown', () => {
    expect(() => parseSettingsAssignments(['autostrt=on'])).toThrow(/Unknown setting "autostrt".*autostart/);
  });
});
