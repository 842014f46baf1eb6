/** A tiny history router: the controller answers every client path with index.html. */
import { createStore, useStore } from './store.js';

const here = () => location.pathname + location.search;
/** The path and query of the current page. */
export const route = createStore<string>(here());

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === here()) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  route.set(here());
  if (!opts.replace) window.scrollTo(0, 0);
}

addEventListener('popstate', () => route.set(here()));

export function usePath(): string {
  return useStore(route).split('?')[0]!;
}

export function useQuery(): URLSearchParams {
  return new URLSearchParams(useStore(route).split('?')[1] ?? '');
}

/** Matches '/thiet-bi/:id' against a path; returns the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    const seg = got[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

/** A link that moves within the app without reloading; modifier clicks open a new tab as usual. */
export function onLinkClick(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement | null;
  if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href') ?? '/');
}
