// Conformance: Burrow's Mysterium client and driver pieces against what myst 1.38.3 really answers
// (myst-fixtures.ts, read from mysteriumnetwork/node at tag 1.38.3). The driver-level behaviour (InProgress,
// DELETE ?id=) is in myst-driver.test.ts.
import { describe, expect, it } from 'vitest';
import { mystArgv } from '../../../../app/networks/dvpn/daemon.js';
import { connectError, mayConnect } from '../../../../app/networks/dvpn/errors.js';
import { SseParser } from '../../../../app/networks/dvpn/sse.js';
import { balanceMyst, statusOfEvent } from '../../../../app/networks/dvpn/states.js';
import { parseApiError } from '../../../../app/networks/dvpn/tequilapi.js';
import { ERRORS_422, IDENTITY_IN_PROGRESS, REGISTRATION, SSE_FRAMES, UI_FLAGS } from './myst-fixtures.js';

const error = (fixture: { status: number; body: unknown }) => parseApiError(fixture.status, JSON.stringify(fixture.body));

describe('TequilAPI\'s 422 answers', () => {
  it('each err id becomes the sentence and code a person can act on', () => {
    expect(connectError(error(ERRORS_422.notRegistered), '0x9a').code).toBe('unauthorized');
    expect(connectError(error(ERRORS_422.alreadyExists), '0x9a').code).toBe('conflict');
    expect(connectError(error(ERRORS_422.cancelled), '0x9a').code).toBe('cancelled');
    expect(error(ERRORS_422.noConnection).code).toBe('err_no_connection_exists');
  });
});

describe('registration: InProgress is accepted by myst\'s PUT /connection', () => {
  it('Burrow refuses exactly what myst refuses', () => {
    for (const status of REGISTRATION.statuses) expect(mayConnect(status), status).toBe(!(REGISTRATION.refused as readonly string[]).includes(status));
  });
});

describe('the node\'s web UI', () => {
  it(`is on by default (port ${UI_FLAGS.port} on the LAN too): Burrow starts myst with --${UI_FLAGS.enable}=false`, () => {
    const argv = mystArgv(44050);
    expect(argv).toContain(`--${UI_FLAGS.enable}=false`);
    // urfave/cli: global flags before the command.
    expect(argv.indexOf(`--${UI_FLAGS.enable}=false`)).toBeLessThan(argv.indexOf('daemon'));
  });
});

describe('GET /events/state frames and the identity DTO', () => {
  it('the state and the identity\'s registration and balance are read from upstream\'s shapes', () => {
    const events = new SseParser().push(SSE_FRAMES);
    expect(events.map((event) => statusOfEvent(event.data)?.status)).toEqual(['Connecting', 'Connected']);
    expect(statusOfEvent(events[1]?.data ?? '')?.identities[0]?.registration_status).toBe('Registered');
    expect(balanceMyst(IDENTITY_IN_PROGRESS)).toBe(0);
  });
});
