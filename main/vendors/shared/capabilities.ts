import { CAPABILITIES, type Capabilities, type CapabilityName } from '../../domain/actions.js';
import { SwitchboardError } from '../../domain/errors.js';

/**
 * A vendor's capability table: everything listed as supported, everything else unsupported with the
 * reason given (every unsupported capability must have one, so the supervisor always reads why).
 */
export function defineCapabilities(
  supported: readonly CapabilityName[],
  reasons: Partial<Record<CapabilityName, string>>,
): Capabilities {
  const out = {} as Capabilities;
  for (const name of CAPABILITIES) {
    if (supported.includes(name)) out[name] = { supported: true };
    else {
      const reason = reasons[name];
      if (!reason) throw new Error(`capability ${name} is neither supported nor explained`);
      out[name] = { supported: false, reason };
    }
  }
  return out;
}

/** Throws `unsupported` with the vendor's reason when the capability is missing. */
export function requireCapability(caps: Capabilities, name: CapabilityName): void {
  const c = caps[name];
  if (!c.supported) throw new SwitchboardError('unsupported', c.reason);
}
