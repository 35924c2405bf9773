// Where an account's credentials may travel. A secret is bound to the hosts it was entered for, so
// a changed base URL, region or environment never receives it unless the supervisor enters it
// again; and only https carries credentials, except to a simulator on this computer.
// No zod here (types only): the renderer's account form uses the same rules.
import type { AccountConfigInput, SecretField } from './account.js';

export const HTTPS_ONLY_MESSAGE = 'must start with https:// (http:// is allowed only for a simulator on this computer: localhost, 127.0.0.1 or [::1])';

/** localhost, 127.0.0.0/8 or [::1]: the only hosts plain http may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(h);
}

/** A URL that would carry credentials unencrypted: plain http to anything but loopback. */
export function isPlainHttpToRemote(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'http:' && !isLoopbackHost(u.hostname);
}

export const SECRET_FIELD_LABELS: Record<SecretField, string> = {
  apiToken: 'API token',
  rcClientSecret: 'client secret',
  rcJwt: 'JWT',
  apiKey: 'API key',
  accessToken: 'access token',
  password: 'password',
};

function originOf(url: string | undefined): string | null {
  if (url === undefined || url === '') return null;
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The hosts a secret of this account reaches, as one canonical string (sorted origins): what a
 * saved secret is bound to. Anything derived from the secret counts: Engage Voice's RingCentral
 * JWT becomes a token sent to the token exchange, whose answer goes to the base URL. Exotel's region
 * and LiveVox's environment are their base URLs.
 */
export function credentialHosts(config: AccountConfigInput, field: SecretField): string {
  const urls: (string | undefined)[] = [];
  switch (config.vendor) {
    case 'engage-voice':
      urls.push(config.baseUrl);
      if (field !== 'apiToken') urls.push(config.authBaseUrl, config.rcPlatformUrl);
      break;
    case 'exotel':
      urls.push(config.v1BaseUrl, config.v3BaseUrl);
      break;
    case 'audian':
    case 'livevox':
      urls.push(config.baseUrl);
      break;
  }
  const origins = new Set(urls.map(originOf).filter((o): o is string => o !== null));
  return [...origins].sort().join(' ');
}

/** The secrets this account's sign-in uses (Engage Voice: by its sign-in method). */
export function secretsUsed(config: AccountConfigInput): SecretField[] {
  switch (config.vendor) {
    case 'engage-voice':
      return config.authMode === 'rc' ? ['rcClientSecret', 'rcJwt'] : ['apiToken'];
    case 'exotel':
      return ['apiKey', 'apiToken'];
    case 'audian':
      return ['apiKey'];
    case 'livevox':
      return ['accessToken', 'password'];
  }
}

export interface BoundElsewhere {
  field: SecretField;
  /** The hosts it was entered for; null for a record saved before secrets were bound to hosts. */
  savedFor: string | null;
}

/** What the supervisor is told when saved secrets were entered for another host. */
export function reenterMessage(config: AccountConfigInput, fields: readonly BoundElsewhere[]): string {
  const names = fields.map((f) => SECRET_FIELD_LABELS[f.field]);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  const from = fields.find((f) => f.savedFor !== null)?.savedFor;
  const to = credentialHosts(config, fields[0]!.field);
  return (
    `Enter the ${list} again: ${names.length === 1 ? 'it was' : 'they were'} saved for ${from ?? 'another host'}, and this account now connects to ${to}. ` +
    'Saved credentials are only ever sent to the host they were entered for.'
  );
}
