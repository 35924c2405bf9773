// PLACEHOLDER until the vendor folders land; replaced by the real table.
import type { VendorRegistry } from './registry-types.js';
export const vendorRegistry = {} as VendorRegistry;
