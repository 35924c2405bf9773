// Every control a supervisor can reach has an accessible name, in every main view and in the call
// drawer: read from Chromium's own accessibility tree (what a screen reader is given), not guessed
// from attributes.
import { expect, test, type Page } from '@playwright/test';
import { openConsole } from './app-page.js';
import { startInProcessConsole, type InProcessConsole } from './inproc-host.js';

let host: InProcessConsole;
test.beforeAll(async () => {
  host = await startInProcessConsole({ calls: 10, agents: 10 });
});
test.afterAll(async () => {
  await host.stop();
});

const CONTROLS = new Set(['button', 'checkbox', 'combobox', 'textbox', 'searchbox', 'spinbutton', 'radio', 'switch', 'slider', 'link', 'menuitem', 'tab', 'listbox']);

interface AXNode {
  role?: { value?: string };
  name?: { value?: string };
  ignored?: boolean;
  backendDOMNodeId?: number;
}

/** Controls in the page's accessibility tree whose name is empty, described for the failure. */
async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const out: string[] = [];
    let controls = 0;
    for (const n of nodes) {
      const role = n.role?.value ?? '';
      if (n.ignored || !CONTROLS.has(role)) continue;
      controls += 1;
      if ((n.name?.value ?? '').trim() !== '') continue;
      let html = '?';
      if (n.backendDOMNodeId !== undefined) {
        const { outerHTML } = (await cdp.send('DOM.getOuterHTML', { backendNodeId: n.backendDOMNodeId })) as { outerHTML: string };
        html = outerHTML.slice(0, 160);
      }
      out.push(`${role}: ${html}`);
    }
    expect(controls, 'controls found in the accessibility tree').toBeGreaterThan(5);
    return out;
  } finally {
    await cdp.detach();
  }
}

test('every control in every view, and in the call drawer, has an accessible name', async ({ page }) => {
  await openConsole(page, { url: host.url } as never);
  const views = ['Calls', 'Agents', 'Chat', 'Accounts', 'Audit log', 'Settings'];
  const problems: string[] = [];
  for (const view of views) {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: new RegExp(`^${view}`) }).click();
    await page.waitForTimeout(300);
    problems.push(...(await unnamedControls(page)).map((p) => `${view} › ${p}`));
  }
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Calls/ }).click();
  await page.getByTestId('call-row').first().click();
  await expect(page.getByTestId('call-drawer')).toBeVisible();
  problems.push(...(await unnamedControls(page)).map((p) => `Call drawer › ${p}`));
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: /^Accounts/ }).click();
  await page.getByRole('button', { name: 'Add account' }).click();
  problems.push(...(await unnamedControls(page)).map((p) => `Add account › ${p}`));
  expect(problems).toEqual([]);
});
