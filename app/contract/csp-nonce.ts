// The placeholder the renderer's build writes where a CSP nonce belongs (Vite's `html.cspNonce`); each
// front door that serves index.html replaces it with a fresh nonce per load (electron/main/csp.ts).
// Shared here because both the renderer's build and the Electron shell must agree on it.
export const NONCE_PLACEHOLDER = '__BURROW_CSP_NONCE__';
