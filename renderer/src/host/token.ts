// The web front door's access token. `burrow host --web` prints a URL with `?token=`; the page takes it,
// removes it from the address bar (so it is not shared by a copied link or a screenshot) and keeps it for
// this tab only, so that a reload still reaches the host.
const STORAGE_KEY = 'burrow.token';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // Storage can be disabled; the token then lives only in memory.
  }
}

/** Reads the token from the URL (then hides it) or from this tab's earlier visit. */
export function takeAccessToken(): string | undefined {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    if (TOKEN_PATTERN.test(fromUrl)) {
      tabStorage()?.setItem(STORAGE_KEY, fromUrl);
      return fromUrl;
    }
    return undefined;
  }
  const stored = tabStorage()?.getItem(STORAGE_KEY) ?? undefined;
  return stored !== undefined && TOKEN_PATTERN.test(stored) ? stored : undefined;
}
