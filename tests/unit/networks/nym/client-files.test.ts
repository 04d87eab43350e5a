// What Burrow reads from and writes around nym-socks5-client: the init summary, the refusal of a second
// init, the log lines it acts on (the real client's wording), config.toml edits, client ids.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientRecords, applyMixing, classifyLine, clientIdFor, listenerEndpoint, parseInitOutput, saysAlreadyInitialised, setTomlValue } from '../../../../app/networks/nym/client-files.js';

const INIT_JSON = JSON.stringify({
  version: '1.1.47',
  id: 'burrow-x',
  identity_key: 'A'.repeat(44),
  encryption_key: 'B'.repeat(44),
  gateway_id: 'C'.repeat(44),
  gateway_listener: 'wss://gw.example:9001',
  gateway_registration: '2024-05-01T10:00:00Z',
  address: 'a.b@c',
  socks5_listening_address: '127.0.0.1:1080',
  client_address: 'a.b@c',
});

describe('init output', () => {
  it('finds the JSON summary among the other lines, on stdout or stderr', () => {
    const output = ['Initialising client...', ' 2024-05-01T10:00:00Z INFO  nym_client_core > Using nym-api: https://validator.nymtech.net/api/', 'Saved configuration file to /home/u/.nym/socks5-clients/x/config/config.toml', INIT_JSON, ''].join('\n');
    expect(parseInitOutput(output)).toMatchObject({ id: 'burrow-x', gateway_id: 'C'.repeat(44), gateway_listener: 'wss://gw.example:9001' });
    expect(parseInitOutput('Initialising client...\n{"not":"it"}\n')).toBeUndefined();
    expect(parseInitOutput('{broken')).toBeUndefined();
  });

  it('recognises the refusal of a second init in both wordings the client has used', () => {
    expect(saysAlreadyInitialised(`socks5 client "x" was already initialised before\nError: this client (id: 'x') has already been initialised before. If you want to add additional gateway, use \`add-gateway\` command`)).toBe(true);
    expect(saysAlreadyInitialised('Client "x" was already initialized before')).toBe(true);
    expect(saysAlreadyInitialised('Failed to setup gateway\nError: timed out')).toBe(false);
  });
});

describe('classifyLine', () => {
  it('reads the real client\'s lines (env_logger format, as in a systemd journal)', () => {
    expect(classifyLine(' 2023-06-25T19:19:31.394Z INFO  nym_socks5_client_core                                                        > Client startup finished!')).toEqual({ kind: 'startup-finished' });
    expect(classifyLine(' 2023-06-25T19:19:31.394Z INFO  nym_socks5_client_core::socks::server                                         > Listening on 127.0.0.1:1080')).toEqual({ kind: 'listening', host: '127.0.0.1', port: 1080 });
    expect(classifyLine(' 2022-04-27T16:15:51.707Z INFO  nym_socks5_client::socks::server > Serving Connections...')).toBeUndefined();
    expect(classifyLine('ERROR nym_socks5_client_core::socks::mixnet_responses > Network requester failed on connection id 7 with error: connection to 1.2.3.4:80 is not allowed')).toEqual({
      kind: 'exit-failed',
      connection: 7,
      text: 'connection to 1.2.3.4:80 is not allowed',
    });
    expect(classifyLine('ERROR x > Network requester failed on connection id 12: Connection refused (os error 111)')).toMatchObject({ kind: 'exit-failed', connection: 12 });
    expect(classifyLine('ERROR nym_socks5_client_core::socks::server > Failed to bind to 127.0.0.1:1080: Address already in use (os error 98)')).toEqual({
      kind: 'bind-failed',
      text: 'Failed to bind to 127.0.0.1:1080: Address already in use (os error 98)',
    });
    expect(classifyLine('ERROR nym_client_core > Lost connection with the gateway: reset')).toMatchObject({ kind: 'gateway-lost' });
    expect(classifyLine('INFO nym_client_core > The address of this client is: a.b@c')).toBeUndefined();
  });
});

describe('config.toml', () => {
  const TEMPLATE = "[core.client]\nid = 'x'\n\n[core.debug.traffic]\naverage_packet_delay = '50ms'\nmessage_sending_average_delay = '20ms'\n\n[core.debug.cover_traffic]\nloop_cover_traffic_average_delay = '200ms'\n";

  it('replaces a key in its section only, adds a missing key or section, and changes nothing else', () => {
    const replaced = setTomlValue(TEMPLATE, 'core.debug.traffic', 'average_packet_delay', "'15ms'");
    expect(replaced).toBe(TEMPLATE.replace("average_packet_delay = '50ms'", "average_packet_delay = '15ms'"));
    const added = setTomlValue(TEMPLATE, 'core.debug.cover_traffic', 'disable_loop_cover_traffic_stream', 'true');
    expect(added).toContain("[core.debug.cover_traffic]\ndisable_loop_cover_traffic_stream = true\nloop_cover_traffic_average_delay = '200ms'");
    expect(setTomlValue('[a]\nx = 1\n', 'b', 'y', '2')).toBe('[a]\nx = 1\n\n\n[b]\ny = 2');
    // A key of the same name in another section is not touched.
    expect(setTomlValue("[other]\naverage_packet_delay = '1ms'\n[core.debug.traffic]\n", 'core.debug.traffic', 'average_packet_delay', "'2ms'")).toBe(
      "[other]\naverage_packet_delay = '1ms'\n[core.debug.traffic]\naverage_packet_delay = '2ms'\n",
    );
  });

  it('applyMixing writes the profile\'s delay and keeps the file\'s mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'burrow-nym-toml-'));
    const file = join(dir, 'config.toml');
    writeFileSync(file, TEMPLATE, { mode: 0o600 });
    applyMixing(file, { averagePacketDelayMs: 15 });
    expect(readFileSync(file, 'utf8')).toContain('average_packet_delay = { secs = 0, nanos = 15000000 }');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('client ids, records and listeners', () => {
  it('a change of exit or gateway makes a new client id; the same profile keeps its id', () => {
    const a = clientIdFor('home', { provider: 'p1', gateway: 'g1' });
    expect(a).toMatch(/^burrow-home-[0-9a-f]{8}$/);
    expect(clientIdFor('home', { provider: 'p1', gateway: 'g1' })).toBe(a);
    expect(clientIdFor('home', { provider: 'p2', gateway: 'g1' })).not.toBe(a);
    expect(clientIdFor('home', { provider: 'p1', gateway: undefined })).not.toBe(a);
  });

  it('records survive a round trip; a damaged record is no record', () => {
    const records = new ClientRecords(mkdtempSync(join(tmpdir(), 'burrow-nym-rec-')));
    const results = parseInitOutput(INIT_JSON);
    if (results === undefined) throw new Error('no results');
    records.write(results);
    expect(records.read('burrow-x')).toMatchObject({ gateway_listener: 'wss://gw.example:9001' });
    expect(records.read('nobody')).toBeUndefined();
  });

  it('listener addresses', () => {
    expect(listenerEndpoint('ws://10.1.90.1:9000')).toEqual({ host: '10.1.90.1', port: 9000 });
    expect(listenerEndpoint('wss://gw.example')).toEqual({ host: 'gw.example', port: 443 });
    expect(listenerEndpoint('ws://[fd00::1]:9000')).toEqual({ host: 'fd00::1', port: 9000 });
    expect(listenerEndpoint('not a url')).toBeUndefined();
  });
});
