import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { hardenWebContents, installPermissionHandlers, type PermissionHooks, type WebContentsHooks } from '../../main/shell/harden.js';
import { notificationBody, notificationTitle } from '../../main/shell/notification-text.js';
import { APP_ORIGIN } from '../../main/shell/security.js';

class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' }): void {
    this.openHandler = h;
  }
  /** Emits like Electron and reports whether a listener prevented the default. */
  attempt(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url?: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

describe('web contents hardening', () => {
  const setup = () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents as unknown as WebContentsHooks, (u) => void opened.push(u));
    return { contents, opened };
  };

  it('refuses navigation and redirects away from the app, allows its own pages', () => {
    const { contents } = setup();
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(contents.attempt('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
  });

  it('never attaches a webview', () => {
    expect(setup().contents.attempt('will-attach-webview')).toBe(true);
  });

  it('denies every new window and opens only parsed https links outside', () => {
    const { contents, opened } = setup();
    for (const url of ['https://support.example.com/a?b=1', 'http://example.com', 'javascript:alert(1)', 'file:///x', 'https://user:pw@example.com/']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual(['https://support.example.com/a?b=1']);
  });
});

describe('permission handlers', () => {
  it('grant notifications only, for requests and checks alike', () => {
    let request: Parameters<PermissionHooks['setPermissionRequestHandler']>[0] | null = null;
    let check: Parameters<PermissionHooks['setPermissionCheckHandler']>[0] | null = null;
    installPermissionHandlers({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) });
    const answers: [string, boolean][] = [];
    for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal', 'display-capture']) {
      request!(null, p, (granted) => answers.push([p, granted]));
      expect(check!(null, p)).toBe(p === 'notifications');
    }
    expect(answers).toEqual([
      ['notifications', true],
      ['media', false],
      ['geolocation', false],
      ['clipboard-read', false],
      ['openExternal', false],
      ['display-capture', false],
    ]);
  });
});

describe('notification text', () => {
  const hostile = 'Reason: <b>LUNCH</b> & <img src=x onerror=alert(1)>\u0007\u001b[31m';

  it('escapes markup in the body on Linux, where notification servers render it', () => {
    expect(notificationBody(hostile, 'linux')).toBe('Reason: &lt;b&gt;LUNCH&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;[31m');
  });

  it('leaves the text as typed where the OS shows plain text, minus control characters', () => {
    expect(notificationBody(hostile, 'darwin')).toBe('Reason: <b>LUNCH</b> & <img src=x onerror=alert(1)>[31m');
    expect(notificationBody(hostile, 'win32')).toBe(notificationBody(hostile, 'darwin'));
    expect(notificationTitle('Ada\u0000 went not ready\nnow')).toBe('Ada went not ready\nnow');
  });
});
