// Notification text is vendor data (agent names, reasons, caller numbers). Linux notification
// servers read the body (not the title) as markup, a subset of HTML, so there the body is escaped
// to show as typed; elsewhere the OS shows plain text. Control characters never help, anywhere.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const MARKUP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function notificationTitle(text: string): string {
  return text.replace(CONTROL, '');
}

export function notificationBody(text: string, platform: NodeJS.Platform): string {
  const plain = notificationTitle(text);
  return platform === 'linux' ? plain.replace(/[&<>"']/g, (c) => MARKUP[c]!) : plain;
}
