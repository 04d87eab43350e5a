// The line level of a wg-quick file: size and text checks, comments, `[Section]` headers and `Key = value`
// settings, each with its 1-based line number. What the keys mean is parse.ts's business.
import { stripComment, type ConfigErrors } from './errors.js';

export const MAX_CONFIG_BYTES = 64 * 1024;

export type SectionName = 'Interface' | 'Peer';

export interface Setting {
  /** The key as written (wg-quick matches keys case-insensitively). */
  key: string;
  value: string;
  line: number;
}

export interface Section {
  name: SectionName;
  line: number;
  settings: Setting[];
}

/** A key name is echoed in messages only if it looks like one: never a pasted key or other blob. */
const KEY_NAME = /^[A-Za-z][A-Za-z0-9]{0,31}$/;
// Control characters other than tab, CR and LF; U+FFFD is what a failed UTF-8 decode leaves behind.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;

export function splitSections(text: string, errors: ConfigErrors): Section[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) {
    errors.fail(
      undefined,
      `The file is ${Math.ceil(bytes / 1024)} KiB; a WireGuard configuration is at most 64 KiB. Check that you picked the .conf file your provider gave you.`,
      { bytes, limit: MAX_CONFIG_BYTES },
    );
  }
  // Windows editors put a byte-order mark first; it is not part of the first key.
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  const sections: Section[] = [];
  let current: Section | undefined;

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (NOT_TEXT.test(raw)) {
      errors.fail(line, 'the file contains binary data (NUL or other control characters). A WireGuard configuration is plain text: check that you picked the .conf file, not an archive or a QR code image.');
    }
    const content = stripComment(raw).trim();
    if (content === '') return;

    if (content.startsWith('[')) {
      current = { name: sectionName(content, line, errors), line, settings: [] };
      sections.push(current);
      return;
    }
    const eq = content.indexOf('=');
    const key = (eq < 0 ? content : content.slice(0, eq)).trim();
    if (eq < 0 || !KEY_NAME.test(key)) {
      errors.fail(line, 'this line is not a "Key = value" setting, a [Section] header or a # comment.');
    }
    if (current === undefined) {
      errors.fail(line, `${key} comes before any section: settings belong under [Interface] or [Peer].`);
    }
    current.settings.push({ key, value: content.slice(eq + 1).trim(), line });
  });
  return sections;
}

function sectionName(content: string, line: number, errors: ConfigErrors): SectionName {
  const match = /^\[\s*([A-Za-z]{1,32})\s*\]$/.exec(content);
  const name = match?.[1]?.toLowerCase();
  if (name === 'interface') return 'Interface';
  if (name === 'peer') return 'Peer';
  const shown = match?.[1] === undefined ? 'this section header' : `[${match[1]}]`;
  return errors.fail(line, `${shown} is not a WireGuard section: a configuration has one [Interface] and one or more [Peer] sections.`);
}
