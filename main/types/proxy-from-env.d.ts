// proxy-from-env 2 ships no types (DefinitelyTyped's describe version 1); this is its one export.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from *_PROXY and NO_PROXY in process.env, or '' for none. */
  export function getProxyForUrl(url: string | URL): string;
}
