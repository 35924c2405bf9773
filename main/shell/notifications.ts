// Native notifications: the engine's alerts through the notify policy (grouping, rate limit,
// do-not-disturb), a click bringing the window forward on that call or agent.
import { Notification } from 'electron';
import type { NotificationPrefs } from '../../preload/contract.js';
import type { Alert } from '../engine/alerts.js';
import { NotifyPolicy, type Notice } from '../engine/notify-policy.js';
import { notificationBody, notificationTitle } from './notification-text.js';

export function createNotifier(deps: {
  prefs: () => NotificationPrefs;
  onClick: (notice: Notice) => void;
}): { offer(alerts: Alert[]): void; stop(): void } {
  const policy = new NotifyPolicy();
  const timer = setInterval(() => {
    if (!Notification.isSupported()) return;
    for (const notice of policy.flush(Date.now(), deps.prefs())) {
      const n = new Notification({ title: notificationTitle(notice.title), body: notificationBody(notice.body, process.platform), silent: false });
      n.on('click', () => deps.onClick(notice));
      n.show();
    }
  }, 1000);
  return {
    offer: (alerts) => policy.offer(alerts, deps.prefs()),
    stop: () => clearInterval(timer),
  };
}
