// Choices the documents leave open. The per-account ones come from the account settings
// (main/domain/account.ts); createEngageVoiceConnectorWith() can pin any of them (tests). Defaults
// follow NOTES.md and the vendor's wider public API.

export interface EngageVoiceOptions {
  /**
   * The account's time zone (IANA, or UTC±HH:MM): zone-less timestamps are read in it and
   * callBackDTS is written in it. The documents give neither a zone nor anything but the format.
   */
  timeZone: string;
  /**
   * activeCalls/list paging. `page` and `maxRows` are optional and their base is undocumented, so by
   * default neither is sent and the vendor's whole list is read; set a size to page.
   */
  listPageSize: number | null;
  listFirstPage: number;
  /** Stop paging after this many pages, whatever the vendor answers. */
  listMaxPages: number;
  /** Optional product filter of activeCalls/list (e.g. ACCOUNT + the account id). */
  listProduct: { product: string; productId: string } | null;
  /** The Engage access token lives 5 minutes (NOTES.md); refresh this long before it expires. */
  tokenLifetimeMs: number;
  refreshMarginMs: number;
  /** The token exchange allows 5 requests a minute (NOTES.md); never try more than this. */
  maxLoginsPerMinute: number;
  /**
   * A calls poll joins agents from an agent list read this recently instead of reading it again;
   * the agent named on a brand-new call can then lag by at most this long. 0 reads it every time.
   */
  agentReuseMs: number;
}

export const DEFAULT_OPTIONS: EngageVoiceOptions = {
  timeZone: 'UTC',
  listPageSize: null,
  listFirstPage: 1,
  listMaxPages: 50,
  listProduct: null,
  tokenLifetimeMs: 5 * 60_000,
  refreshMarginMs: 30_000,
  maxLoginsPerMinute: 5,
  agentReuseMs: 5_000,
};
