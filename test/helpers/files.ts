import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file below a folder, however deep: what the app wrote, for tests that search it. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}
