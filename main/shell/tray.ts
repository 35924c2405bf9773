// The system tray: a thin view of the engine's tray model. Every item calls a contract request
// through the dispatcher, so the tray obeys the same validation and audit as the window.
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { Dispatcher } from '../engine/dispatcher.js';
import type { TrayModel } from '../engine/tray-model.js';

export interface TrayDeps {
  iconPath: string;
  dispatch: Dispatcher['dispatch'];
  showWindow: (focus?: { callKey: string | null; agentKey: string | null }) => void;
  quit: () => void;
}

export function createTray(deps: TrayDeps): { update(model: TrayModel): void; destroy(): void } {
  const tray = new Tray(nativeImage.createFromPath(deps.iconPath));
  tray.on('click', () => deps.showWindow());
  const update = (m: TrayModel): void => {
    tray.setToolTip(m.tooltip);
    if (process.platform === 'darwin') tray.setTitle(`${m.activeCalls}`);
    const items: MenuItemConstructorOptions[] = [
      { label: `${m.activeCalls} active calls · ${m.agentsReady} ready · ${m.agentsNotReady} not ready`, enabled: false },
      ...m.staleAccounts.map((name) => ({ label: `${name}: data stale, not counted`, enabled: false })),
      { type: 'separator' },
      ...(m.monitoring
        ? [
            { label: `Stop ${m.monitoring.mode} on ${m.monitoring.label}`, click: () => void deps.dispatch('calls.stopMonitor', { callKey: m.monitoring!.callKey }) },
            { type: 'separator' as const },
          ]
        : []),
      ...m.quickActions.map((q) => ({
        label: q.label,
        click: () => void deps.dispatch('calls.monitor', { callKey: q.callKey, mode: 'listen' }),
      })),
      { type: 'separator' },
      {
        label: 'Do not disturb',
        type: 'checkbox',
        checked: m.doNotDisturb,
        click: (item) => void deps.dispatch('notifications.setDoNotDisturb', { on: item.checked }),
      },
      { label: 'Open Switchboard', click: () => deps.showWindow() },
      { label: 'Quit', click: () => deps.quit() },
    ];
    tray.setContextMenu(Menu.buildFromTemplate(items));
  };
  return { update, destroy: () => tray.destroy() };
}
