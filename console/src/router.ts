// A hash router: the server serves one page for /console/, the route lives after '#'. One-time link
// tokens travel in the fragment too, so they never reach a server log or a Referer.
import { useEffect, useState } from 'preact/hooks';

export const currentRoute = () => window.location.hash.replace(/^#/, '') || '/';

export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const navigate = (route: string) => {
  window.location.hash = route;
};

/** A path segment of the route as typed; a malformed escape (`%E0%A4%A`) is kept as it is, not thrown. */
export const segment = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};
