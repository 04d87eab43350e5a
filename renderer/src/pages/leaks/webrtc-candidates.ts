// Gathers this window's ICE candidates against the leak server's STUN server, for the WebRTC leak test: what
// Chromium itself would tell any web page is what gets judged (by the host). STUN through RTCPeerConnection
// is not governed by the CSP's connect-src, so it works under the app's strict policy.

/** leakd's STUN port: the standard one (RFC 8489). */
export const STUN_PORT = 3478;
const GATHER_TIMEOUT_MS = 2000;

/** `stun:HOST:3478` for the leak server's host; undefined when the URL names none. */
export function stunUrlFor(leakServerUrl: string, port = STUN_PORT): string | undefined {
  let host: string;
  try {
    host = new URL(leakServerUrl.trim()).hostname;
  } catch {
    return undefined;
  }
  // URL keeps IPv6 literals bracketed, which is also how a STUN URI writes them.
  return host === '' ? undefined : `stun:${host}:${port}`;
}

/**
 * The `candidate:…` lines gathered within the timeout (an empty list when WebRTC revealed nothing), or
 * undefined when this window has no WebRTC or gathering could not start — then the host says "not tested".
 */
export async function gatherIceCandidates(stunUrl: string, timeoutMs = GATHER_TIMEOUT_MS): Promise<string[] | undefined> {
  if (typeof RTCPeerConnection === 'undefined') return undefined;
  let pc: RTCPeerConnection;
  try {
    pc = new RTCPeerConnection({ iceServers: [{ urls: stunUrl }] });
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  try {
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      pc.onicecandidate = (event) => {
        if (event.candidate === null) {
          clearTimeout(timer);
          resolve();
        } else if (event.candidate.candidate !== '') {
          candidates.push(event.candidate.candidate);
        }
      };
    });
    // A data channel is enough to make Chromium gather; no media, no permission prompt.
    pc.createDataChannel('burrow-leak-test');
    await pc.setLocalDescription(await pc.createOffer());
    await done;
    return candidates;
  } catch {
    return candidates.length > 0 ? candidates : undefined;
  } finally {
    pc.close();
  }
}
