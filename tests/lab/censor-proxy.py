#!/usr/bin/python3
# The lab censor's userspace half: a transparent TCP proxy in the ISP namespace that judges the first data
# a client sends on each flow. nft in the ISP redirects the client's forwarded TCP here; SO_ORIGINAL_DST
# gives the destination back. Debian has no Python nfqueue binding, and a proxy sees exactly what a DPI box
# sees (the reassembled first payload), so this is how the published detectors are modelled here.
#
# Modes:
#   fet       Wu et al., "How the Great Firewall of China Detects and Blocks Fully Encrypted Traffic"
#             (USENIX Security 2023), Algorithm 1: block the flow when the first payload looks random and no
#             exemption applies; then drop the 3-tuple (client IP, server IP, server port) for BLOCK_SECONDS.
#   allowlist Iran 2022-style protocol allowlist: TCP to 80 must open with an HTTP method, TCP to 443 with
#             a TLS handshake record; anything else is held and dropped.
#
# Every verdict is one JSON line on stdout (the lab test counts them). A blocked flow is not reset: its
# packets are dropped in nft from then on (like the GFW, which drops rather than resets), and the proxy
# holds the client's socket open and discards what it sends until the client gives up.
import argparse
import json
import socket
import struct
import subprocess
import sys
import threading

SO_ORIGINAL_DST = 80
FIRST_DATA_TIMEOUT = 5.0
HOLD_SECONDS = 300
HTTP_METHODS = (b'GET ', b'PUT ', b'POST ', b'HEAD ', b'OPTIONS ', b'DELETE ', b'PATCH ', b'CONNECT ')

emit_lock = threading.Lock()


def emit(event):
    with emit_lock:
        sys.stdout.write(json.dumps(event, sort_keys=True) + '\n')
        sys.stdout.flush()


def printable(byte):
    return 0x20 <= byte <= 0x7E


def longest_printable_run(data):
    best = run = 0
    for byte in data:
        run = run + 1 if printable(byte) else 0
        best = max(best, run)
    return best


def is_tls(data):
    # A TLS record: handshake (0x16) or application data (0x17), version 3.x with x in 0..9 (the paper's
    # fingerprint: [\x16-\x17]\x03[\x00-\x09]).
    return len(data) >= 3 and data[0] in (0x16, 0x17) and data[1] == 0x03 and data[2] <= 0x09


def is_http(data):
    return data.startswith(HTTP_METHODS)


def fet_verdict(data):
    """(block, reason, popcount per byte) for the first payload of a flow, Algorithm 1 of Wu et al."""
    popcount = sum(bin(byte).count('1') for byte in data) / len(data)
    if popcount <= 3.4 or popcount >= 4.6:
        return False, 'Ex1 popcount per byte outside 3.4-4.6', popcount
    if all(printable(byte) for byte in data[:6]):
        return False, 'Ex2 first six bytes printable', popcount
    if sum(1 for byte in data if printable(byte)) * 2 > len(data):
        return False, 'Ex3 more than half printable', popcount
    if longest_printable_run(data) > 20:
        return False, 'Ex4 more than 20 contiguous printable bytes', popcount
    if is_tls(data) or is_http(data):
        return False, 'Ex5 TLS or HTTP fingerprint', popcount
    return True, 'looks random and no exemption applies', popcount


def allowlist_verdict(data, port):
    if port == 80 and is_http(data):
        return False, 'HTTP on 80'
    if port == 443 and len(data) >= 3 and data[0] == 0x16 and data[1] == 0x03:
        return False, 'TLS handshake on 443'
    return True, f'not {"HTTP" if port == 80 else "TLS" if port == 443 else "allowed"} on port {port}'


def original_dst(sock):
    raw = sock.getsockopt(socket.SOL_IP, SO_ORIGINAL_DST, 16)
    port, packed = struct.unpack_from('!2xH4s', raw)
    return socket.inet_ntoa(packed), port


def block_tuple(args, src, dst, port):
    element = f'{{ {src} . {dst} . {port} timeout {args.block_seconds}s }}'
    result = subprocess.run(['nft', 'add', 'element', 'inet', args.table, 'fet_blocked', element],
                            capture_output=True, text=True)
    if result.returncode != 0:
        emit({'event': 'error', 'what': 'nft add element', 'stderr': result.stderr.strip()})


def pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for sock, how in ((sink, socket.SHUT_WR), (source, socket.SHUT_RD)):
            try:
                sock.shutdown(how)
            except OSError:
                pass


def hold(client):
    # Read and discard: the client sees a connection that swallows everything and never answers.
    client.settimeout(HOLD_SECONDS)
    try:
        while client.recv(65536):
            pass
    except OSError:
        pass
    client.close()


def handle(args, client, peer):
    try:
        dst, port = original_dst(client)
    except OSError as err:
        emit({'event': 'error', 'what': 'SO_ORIGINAL_DST', 'error': str(err)})
        client.close()
        return
    # The verdict does not depend on the server: a flow to a closed port is judged like any other.
    try:
        upstream = socket.create_connection((dst, port), timeout=10)
        upstream.settimeout(None)
    except OSError as err:
        upstream = None
        emit({'event': 'upstream-failed', 'src': peer[0], 'dst': dst, 'port': port, 'error': str(err)})
    # Server-first protocols get their greeting through; the verdict is on the client's first payload.
    if upstream is not None:
        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
    client.settimeout(FIRST_DATA_TIMEOUT)
    try:
        first = client.recv(65536)
    except socket.timeout:
        first = None
    except OSError:
        first = b''
    client.settimeout(None)
    if first is None or first == b'':
        emit({'event': 'flow', 'src': peer[0], 'dst': dst, 'port': port, 'verdict': 'pass', 'reason': 'no client data', 'length': 0})
        if first is None and upstream is not None:
            pump(client, upstream)
        if upstream is not None:
            upstream.close()
        client.close()
        return
    if args.mode == 'fet':
        blocked, reason, popcount = fet_verdict(first)
    else:
        (blocked, reason), popcount = allowlist_verdict(first, port), None
    emit({'event': 'flow', 'src': peer[0], 'dst': dst, 'port': port, 'verdict': 'block' if blocked else 'pass',
          'reason': reason, 'length': len(first), 'popcount': None if popcount is None else round(popcount, 3),
          'head': first[:8].hex()})
    if blocked:
        if args.mode == 'fet':
            block_tuple(args, peer[0], dst, port)
        if upstream is not None:
            upstream.close()
        hold(client)
        return
    if upstream is None:
        client.close()
        return
    try:
        upstream.sendall(first)
    except OSError:
        client.close()
        return
    pump(client, upstream)


def main():
    parser = argparse.ArgumentParser(description='the lab censor\'s transparent DPI proxy')
    parser.add_argument('--mode', choices=['fet', 'allowlist'], required=True)
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--table', required=True)
    parser.add_argument('--block-seconds', type=int, default=180)
    args = parser.parse_args()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('0.0.0.0', args.port))
    server.listen(128)
    emit({'event': 'listening', 'mode': args.mode, 'port': args.port})
    while True:
        client, peer = server.accept()
        threading.Thread(target=handle, args=(args, client, peer), daemon=True).start()


if __name__ == '__main__':
    main()
