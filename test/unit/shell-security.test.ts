import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  RENDERER_CSP,
  isTrustedSender,
  navigationAllowed,
  permissionAllowed,
  rendererFileFor,
  safeExternalUrl,
  secureWebPreferences,
} from '../../main/shell/security.js';

describe('window security settings', () => {
  const prefs = secureWebPreferences('/app/preload/index.cjs');
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
  ] as const)('%s is %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('uses the exact strict CSP: the renderer connects nowhere', () => {
    expect(RENDERER_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it('grants notifications and denies every other permission', () => {
    expect(permissionAllowed('notifications')).toBe(true);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'midi', 'pointerLock', 'fullscreen', 'unknown']) {
      expect(permissionAllowed(p)).toBe(false);
    }
  });

  it('allows navigation only within the app origin', () => {
    expect(navigationAllowed(`${APP_ORIGIN}/index.html`)).toBe(true);
    for (const u of ['https://evil.example/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'not a url']) {
      expect(navigationAllowed(u)).toBe(false);
    }
  });

  it('hands only parsed https URLs without credentials to the OS browser', () => {
    expect(safeExternalUrl('https://developers.ringcentral.com/engage')).toBe('https://developers.ringcentral.com/engage');
    for (const u of ['http://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'https:', '']) {
      expect(safeExternalUrl(u)).toBeNull();
    }
  });

  it('trusts IPC only from the main frame showing the app page', () => {
    const main = { url: `${APP_ORIGIN}/index.html`, processId: 4, routingId: 1 };
    expect(isTrustedSender(main, main)).toBe(true);
    expect(isTrustedSender({ ...main }, main)).toBe(true); // same frame, another wrapper object
    expect(isTrustedSender({ url: main.url, processId: 4, routingId: 2 }, main)).toBe(false); // a subframe
    expect(isTrustedSender({ url: 'https://evil.example/', processId: 4, routingId: 1 }, main)).toBe(false);
    expect(isTrustedSender(null, main)).toBe(false);
    expect(isTrustedSender(main, null)).toBe(false);
  });

  it('serves renderer files only from inside the renderer folder', () => {
    expect(rendererFileFor(`${APP_ORIGIN}/index.html`, '/r')).toBe('/r/index.html');
    expect(rendererFileFor(`${APP_ORIGIN}/assets/a.js`, '/r')).toBe('/r/assets/a.js');
    expect(rendererFileFor(`${APP_ORIGIN}/`, '/r')).toBe('/r/index.html');
    // The URL parser folds encoded dot segments away, so this stays inside the folder.
    expect(rendererFileFor(`${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`, '/r')).toBe('/r/etc/passwd');
    expect(rendererFileFor(`${APP_ORIGIN}/assets/..%2f..%2fsecret`, '/r')).toBeNull();
    expect(rendererFileFor('https://switchboard/index.html', '/r')).toBeNull();
  });
});
