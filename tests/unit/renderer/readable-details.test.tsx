// @vitest-environment jsdom
// What a person reads on the Connect and Leak tests pages: labels instead of the drivers' keys, bytes in
// KiB/MiB, Tor's circuit as hops, and the out-of-tunnel probe's packets as a table instead of ping output.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { detailRows, formatBytes, hopsOf } from '../../../renderer/src/pages/connect/detail-rows.js';
import { evidenceLines, LeakEvidence } from '../../../renderer/src/pages/leaks/LeakEvidence.js';

afterEach(cleanup);

describe('connection details', () => {
  it('turns WireGuard’s keys and byte counts into labels and KiB/MiB', () => {
    expect(detailRows({ handshakeAge: '12 s', bytesIn: '1536', bytesOut: '5242880', implementation: 'wireguard-go' })).toEqual([
      ['Last handshake', '12 s ago'],
      ['Received', '1.5 KiB'],
      ['Sent', '5.0 MiB'],
      ['WireGuard program', 'wireguard-go'],
    ]);
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
  });

  it('keeps labels that are already readable, and takes the circuit out of the rows into hops', () => {
    const extra = { 'SOCKS proxy': '127.0.0.1:9150', Circuit: 'g1 → m1 → x1', Countries: 'DE → ?? → NL' };
    expect(detailRows(extra)).toEqual([['SOCKS proxy', '127.0.0.1:9150']]);
    expect(hopsOf(extra)).toEqual([
      { position: 'Guard (entry)', relay: 'g1', country: 'DE' },
      { position: 'Middle', relay: 'm1', country: 'unknown' },
      { position: 'Exit', relay: 'x1', country: 'NL' },
    ]);
  });
});

describe('leak evidence', () => {
  it('shows the out-of-tunnel probe’s packets as a table in words, ping’s output only as a tooltip', () => {
    const detail = '1 packets transmitted, 0 received, 100% packet loss, time 0ms';
    render(<LeakEvidence evidence={{ endpoint: '10.1.3.2', hops: [{ ttl: 1, outcome: 'no-answer', detail }, { ttl: 2, outcome: 'time-exceeded', from: '10.1.1.1', detail: 'From 10.1.1.1 icmp_seq=1 Time to live exceeded' }] }} />);
    const rows = screen.getAllByTestId('evidence-hop');
    expect(rows.map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent))).toEqual([
      ['1', 'no answer: nothing came back', '—'],
      ['2', 'a router answered: the packet left the machine outside the tunnel', '10.1.1.1'],
    ]);
    expect(screen.getByTestId('leak-evidence').textContent).not.toContain('packet loss');
    expect(rows[0]?.getAttribute('title')).toBe(detail);
  });

  it('says what each exit address is and when the own address is not known yet', () => {
    expect(evidenceLines({ '10.1.3.2': 'expected', '10.1.1.2': 'own' }, 'roles')).toEqual(['10.1.3.2 — the tunnel’s exit', '10.1.1.2 — your own address']);
    expect(evidenceLines({ v4: null, v6: null }, 'baseline')).toEqual(['not known yet (Burrow learns it whenever you are disconnected)']);
    expect(evidenceLines({ skipped: 'the leak server is configured by an IPv4 address only' }, 'v6')).toEqual(['not asked: the leak server is configured by an IPv4 address only']);
  });
});
