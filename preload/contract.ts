// The one contract between main and the renderer. main's IPC registration, the preload bridge and
// the browser-console bridge are all generated from these two tables, so a request exists in all
// three or in none. Inputs are validated in main against these schemas, whoever sent them.
import { z } from 'zod';
import { AccountConfig, SecretFieldName } from '../main/domain/account.js';
import { Capability, CapabilityName } from '../main/domain/actions.js';
import { AgentAction, CallAction, ManualAgentCall } from '../main/domain/actions.js';
import { ErrorCode, ErrorInfo } from '../main/domain/errors.js';
import { Agent, AccountHealth, Call, ChatMessage, MonitorMode, Service, Vendor } from '../main/domain/model.js';
import { Alert } from '../main/engine/alerts.js';
import { AuditEntry } from '../main/engine/audit-log.js';
import { TrayModel } from '../main/engine/tray-model.js';

export { ERROR_CODES } from '../main/domain/errors.js';
export type { ErrorCode, ErrorInfo } from '../main/domain/errors.js';

const Empty = z.object({}).strict();
const Id = z.string().min(1).max(300);


export const VaultStatus = z.object({
  store: z.enum(['keychain', 'encrypted-file', 'memory']),
  /** What a supervisor reads: which store, and why when it is a fallback. */
  detail: z.string(),
  /** Linux safeStorage can only obfuscate (basic_text); offered, never chosen silently. */
  plaintextOffered: z.boolean(),
});
export type VaultStatus = z.infer<typeof VaultStatus>;

export const AlertThresholds = z.object({
  callLongerThanSec: z.int().min(10).max(86_400),
  holdLongerThanSec: z.int().min(5).max(86_400),
  ringingLongerThanSec: z.int().min(5).max(3_600),
  notReadyLongerThanSec: z.int().min(10).max(86_400),
});
export type AlertThresholds = z.infer<typeof AlertThresholds>;

export const NotificationPrefs = z.object({
  enabled: z.boolean(),
  agentStateChanges: z.boolean(),
  callAlerts: z.boolean(),
  doNotDisturb: z.boolean(),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;

export const SavedView = z.object({
  name: z.string().trim().min(1).max(60),
  filter: z.object({
    text: z.string().max(200),
    accountId: z.string().max(64).nullable(),
    vendor: Vendor.nullable(),
    status: z.string().max(40).nullable(),
    agent: z.string().max(200).nullable(),
  }),
  sort: z.object({ column: z.string().max(40), descending: z.boolean() }),
});
export type SavedView = z.infer<typeof SavedView>;

export const UiPrefs = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  closeToTray: z.boolean(),
  savedViews: z.array(SavedView).max(50),
});
export type UiPrefs = z.infer<typeof UiPrefs>;

export const NetworkPrefs = z.object({
  /**
   * A file of extra CA certificates (PEM or DER, full path) vendor HTTPS trusts in the Node hosts,
   * for a network that inspects TLS; null: none. The desktop app uses the system's store.
   */
  extraCaFile: z.string().trim().min(1).max(4096).nullable(),
});
export type NetworkPrefs = z.infer<typeof NetworkPrefs>;

export const Preferences = z.object({
  ui: UiPrefs,
  notifications: NotificationPrefs,
  alerts: AlertThresholds,
  network: NetworkPrefs,
});
export type Preferences = z.infer<typeof Preferences>;

/** One rate-limit bucket of an account: the figure Switchboard keeps to, and where it comes from. */
export const RequestLimit = z.object({
  id: z.string(),
  label: z.string(),
  perMinute: z.number(),
  /** The vendor's published figure; null where it publishes none. */
  documented: z.number().nullable(),
  source: z.string(),
  /** What polls may use of it; the rest is kept for the supervisor's actions. */
  pollsPerMinute: z.number(),
});
export type RequestLimit = z.infer<typeof RequestLimit>;

/** Lists polled slower than their normal pace because of the account's limit, or held by the vendor. */
export const PollPaceView = z.object({
  slowed: z.array(z.object({ list: z.enum(['calls', 'agents', 'chat', 'details']), everyMs: z.number(), normalMs: z.number() })),
  /** Epoch ms the vendor's hold (429 Retry-After, X-RateLimit-Reset) ends. */
  heldUntil: z.number().nullable(),
});
export type PollPaceView = z.infer<typeof PollPaceView>;

/** An account as the renderer sees it: settings, which secrets are set (never their values), health. */
export const AccountView = z.object({
  config: AccountConfig,
  secretsSet: z.array(SecretFieldName),
  health: AccountHealth,
  healthDetail: z.string().nullable(),
  /** Epoch ms of the last successful poll; null before the first. */
  dataAt: z.number().nullable(),
  stale: z.boolean(),
  capabilities: z.record(CapabilityName, Capability),
  limits: z.array(RequestLimit),
  /** null at the normal pace. */
  pace: PollPaceView.nullable(),
});
export type AccountView = z.infer<typeof AccountView>;

export const ConnectionTest = z.object({ ok: z.boolean(), error: ErrorInfo.nullable() });

export const NetworkStatus = z.object({
  /** How vendor requests reach the network here: Chromium's stack, or the environment's proxies. */
  route: z.string(),
  /** Which certificate authorities vendor HTTPS trusts. */
  trust: z.string(),
  /** Why the CA file set in Settings is not in use, when it is not. */
  problem: z.string().nullable(),
});
export type NetworkStatus = z.infer<typeof NetworkStatus>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  /** Demo accounts are live. */
  demo: z.boolean(),
  /** The first-run welcome has been seen. */
  welcomed: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Snapshot = z.object({
  accounts: z.array(AccountView),
  calls: z.array(Call),
  agents: z.array(Agent),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const SettingsProblem = z.object({
  /** Where the unreadable file was kept, so nothing is lost. */
  backupPath: z.string(),
  message: z.string(),
});
export type SettingsProblem = z.infer<typeof SettingsProblem>;

const Delta = <T extends z.ZodType>(item: T) =>
  z.object({ added: z.array(item), updated: z.array(item), removed: z.array(z.string()) });

/** One agent's result of a bulk action: what the vendor said, and the error code when it failed. */
const BulkResult = z.object({ agentKey: z.string(), ok: z.boolean(), detail: z.string(), code: ErrorCode.nullable() });
const ChatText = z.string().trim().min(1).max(2000);

const SecretsInput = z.partialRecord(SecretFieldName, z.string().min(1).max(8192));

export const requests = {
  'app.info': { input: Empty, output: AppInfo },
  'snapshot.get': { input: Empty, output: Snapshot },
  'vault.status': { input: Empty, output: VaultStatus },
  /** Start the demo centre, or leave it (its accounts and their secrets are removed). */
  'demo.set': { input: z.object({ on: z.boolean() }).strict(), output: AppInfo },
  'onboarding.welcomed': { input: Empty, output: AppInfo },
  'vault.allowPlaintext': { input: z.object({ allow: z.boolean() }).strict(), output: VaultStatus },
  'settings.get': { input: Empty, output: Preferences },
  'settings.update': { input: Preferences.partial().strict(), output: Preferences },
  'settings.problems': { input: Empty, output: z.array(SettingsProblem) },
  'network.status': { input: Empty, output: NetworkStatus },
  'accounts.list': { input: Empty, output: z.array(AccountView) },
  'accounts.save': {
    input: z.object({ account: AccountConfig, secrets: SecretsInput.optional() }).strict(),
    output: AccountView,
  },
  'accounts.remove': { input: z.object({ id: Id }).strict(), output: z.null() },
  'accounts.test': { input: z.object({ id: Id }).strict(), output: ConnectionTest },
  'accounts.manualCall': { input: z.object({ accountId: Id, call: ManualAgentCall }).strict(), output: z.object({ detail: z.string().nullable() }) },
  'services.list': { input: z.object({ accountId: Id }).strict(), output: z.array(Service) },
  /** The console is in view (fast polling) or hidden in the tray (slow polling). */
  'app.visibility': { input: z.object({ visible: z.boolean() }).strict(), output: z.null() },
  'calls.view': { input: z.object({ callKey: Id.nullable() }).strict(), output: Call.nullable() },
  'calls.monitor': { input: z.object({ callKey: Id, mode: MonitorMode }).strict(), output: Call },
  'calls.stopMonitor': { input: z.object({ callKey: Id }).strict(), output: Call.nullable() },
  'calls.action': {
    input: z.object({ callKey: Id, action: CallAction }).strict(),
    output: z.object({ detail: z.string().nullable(), digits: z.string().nullable() }),
  },
  'agents.action': { input: z.object({ agentKeys: z.array(Id).min(1).max(5000), action: AgentAction }).strict(), output: z.array(BulkResult) },
  'chat.broadcast': {
    input: z.object({ agentKeys: z.array(Id).min(1).max(5000), message: ChatText, canReply: z.boolean() }).strict(),
    output: z.array(BulkResult),
  },
  'chat.send': { input: z.object({ agentKey: Id, message: ChatText }).strict(), output: z.null() },
  'chat.end': { input: z.object({ agentKey: Id }).strict(), output: z.null() },
  'chat.history': { input: Empty, output: z.array(ChatMessage) },
  'audit.list': { input: z.object({ limit: z.int().min(1).max(10_000) }).strict(), output: z.object({ entries: z.array(AuditEntry), damaged: z.int() }) },
  'audit.exportCsv': { input: Empty, output: z.string() },
  'tray.get': { input: Empty, output: TrayModel },
  'notifications.setDoNotDisturb': { input: z.object({ on: z.boolean() }).strict(), output: NotificationPrefs },
} as const;

export const events = {
  'calls.changed': Delta(Call),
  'agents.changed': Delta(Agent),
  /** Demo or first-run state changed. */
  'app.changed': AppInfo,
  'accounts.changed': z.array(AccountView),
  /** Polls succeeded: new data age for these accounts (health did not change). */
  'accounts.freshness': z.array(z.object({ accountId: z.string(), dataAt: z.number().nullable(), stale: z.boolean() })),
  'settings.problem': SettingsProblem,
  'chat.messages': z.array(ChatMessage),
  'alerts': z.array(Alert),
  'tray.changed': TrayModel,
  /** A notification or tray item was clicked: the renderer selects this call or agent. */
  'focus': z.object({ callKey: z.string().nullable(), agentKey: z.string().nullable() }),
  /** Something no request answers: an action held by a rate limit (and for how long), a session that did not end. */
  'notice': z.object({
    kind: z.enum(['info', 'error']),
    accountId: z.string().nullable(),
    text: z.string(),
    detail: z.string().nullable(),
    /** A held action: how long it waits, ms (the message stays up that long). */
    waitMs: z.number().nullable(),
  }),
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type EventName = keyof typeof events;
export type RequestInput<K extends RequestName> = z.input<Requests[K]['input']>;
export type ParsedInput<K extends RequestName> = z.output<Requests[K]['input']>;
export type RequestOutput<K extends RequestName> = z.infer<Requests[K]['output']>;
export type EventPayload<K extends EventName> = z.infer<(typeof events)[K]>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** The IPC channel of a request; the preload and main's registration both derive it here. */
export const channelFor = (name: RequestName): string => `sb:req:${name}`;
export const EVENT_CHANNEL = 'sb:event';

/** What the renderer holds: the preload's bridge in Electron, the WebSocket bridge in a browser. */
export interface Bridge {
  invoke<K extends RequestName>(name: K, input: RequestInput<K>): Promise<Result<RequestOutput<K>>>;
  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void;
}
