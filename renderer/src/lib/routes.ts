// The pages, addressed by the URL hash so a reload stays on the same page (no router needed for seven pages).
import { useEffect, useState } from 'react';

export const PAGES = [
  { id: 'connect', label: 'Connect' },
  { id: 'get-through', label: 'Get through' },
  { id: 'leaks', label: 'Leak tests' },
  { id: 'compare', label: 'Compare' },
  { id: 'profiles', label: 'Profiles' },
  { id: 'settings', label: 'Settings' },
  { id: 'logs', label: 'Logs' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

export function hrefFor(page: PageId): string {
  return `#/${page}`;
}

function pageFromHash(hash: string): PageId {
  const id = hash.replace(/^#\/?/, '');
  return PAGES.find((page) => page.id === id)?.id ?? 'connect';
}

export function useCurrentPage(): PageId {
  const [page, setPage] = useState<PageId>(() => pageFromHash(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setPage(pageFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return page;
}
