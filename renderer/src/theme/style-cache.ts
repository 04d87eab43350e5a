// Emotion (MUI's style engine) injects <style> elements at run time. Under Electron's strict CSP only
// elements carrying the page's nonce may style it: the app protocol swaps a fresh nonce into index.html
// (Vite's html.cspNonce puts the placeholder on its tags and in <meta property="csp-nonce">), and this
// cache stamps it on every style element emotion creates. Served by `burrow host --web` the placeholder
// stays as it is and is inert, since that CSP allows inline styles.
import createCache, { type EmotionCache } from '@emotion/cache';

function pageNonce(): string | undefined {
  // Chromium hides nonce attributes from getAttribute once applied; the `nonce` property keeps the value.
  const meta = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  const nonce = meta?.nonce || meta?.getAttribute('nonce') || '';
  return nonce === '' ? undefined : nonce;
}

export function createStyleCache(): EmotionCache {
  const nonce = pageNonce();
  return createCache({ key: 'mui', prepend: true, ...(nonce === undefined ? {} : { nonce }) });
}
