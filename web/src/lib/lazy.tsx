/** A page loaded on first visit, as its own script: the sign-in and everyday pages stay small. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Loading } from '../components/ui.js';
import { networkError } from './api.js';

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyPage(props: P) {
    const [Page, setPage] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Page) return;
      pending ??= load().then((c) => (loaded = c));
      pending.then(
        (c) => setPage(() => c),
        () => {
          // A lost connection: the next visit tries again.
          pending = null;
          setFailed(true);
        },
      );
    }, []);
    if (Page) return <Page {...props} />;
    return <div class="page">{failed ? <ErrorBox error={networkError()} /> : <Loading />}</div>;
  };
}
