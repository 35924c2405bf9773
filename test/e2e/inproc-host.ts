// The browser console built in this test process, so a spec can drive the UI in Chromium and also
// read what each vendor simulator received.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../main/engine/create-app.js';
import type { AppCore } from '../../main/engine/app-core.js';
import { startBrowserConsole } from '../../main/browser/server.js';
import { vendorRegistry } from '../../main/vendors/registry.js';
import type { SimulatedCentre } from '../../main/demo/simulated-centre.js';
import { confFactory } from '../helpers/app.js';

export interface InProcessConsole {
  url: string;
  core: AppCore;
  /** Where its settings and audit log live. */
  dataDir: string;
  centre: SimulatedCentre;
  stop(): Promise<void>;
}

export async function startInProcessConsole(opts: { seed?: number; calls?: number; agents?: number } = {}): Promise<InProcessConsole> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sb-e2e-inproc-'));
  const core = await createApp({
    host: 'browser',
    version: '0.0.0-e2e',
    dataDir,
    createConf: confFactory(dataDir),
    vendors: vendorRegistry,
    keychainService: `Switchboard-e2e-${process.pid}`,
    demoOptions: { seed: opts.seed ?? 11, trafficEveryMs: 0, callsPerAccount: opts.calls ?? 24, agentsPerAccount: opts.agents ?? 20 },
  });
  await core.start();
  const server = await startBrowserConsole({ dispatcher: core.dispatcher, rendererDir: path.resolve('out/renderer') });
  const centre = core.demo.simulators;
  if (!centre) throw new Error('the demo did not start');
  return {
    url: server.url,
    core,
    dataDir,
    centre,
    stop: async () => {
      await server.close();
      await core.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
