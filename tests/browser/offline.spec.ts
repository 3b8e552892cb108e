import { test, expect, Page, BrowserContext } from '@playwright/test';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appUrl, sampleFeed, screenshot } from './helpers';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tools/chromium.mjs';

// The service worker (assets/sw.js): the app's files kept for the next visit and for
// no connection, a new build taken up on the next visit, nothing on partner pages.
test.use({ serviceWorkers: 'allow' });

const PORT = Number(process.env.AM_TEST_PORT ?? 4173);
const HOST = `http://127.0.0.1:${PORT + 1}/`;
const feed = sampleFeed();

/** Once the worker has kept the build and runs this page, the name of its copy. */
async function shellKept(page: Page): Promise<string> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const names = await page.evaluate(() => caches.keys());
  const shells = names.filter((n) => n.startsWith('activity-map-shell-'));
  expect(shells).toHaveLength(1);
  return shells[0];
}

/** When the app saved its copy of the sample feed (it saves it shortly after showing it). */
async function feedSaved(page: Page): Promise<string> {
  let saved = '';
  await expect
    .poll(async () => {
      saved = await page.evaluate(async () => {
        const hit = await (await caches.open('activity-map-feeds')).match(new URL('sample-feed.json', location.href).href);
        return hit?.headers.get('x-activity-map-saved') ?? '';
      });
      return saved;
    })
    .not.toBe('');
  return saved;
}

test('after one visit, the finder opens with no connection, with the saved feed and its date', async ({ page, context }, info) => {
  await page.goto(appUrl());
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  await shellKept(page);
  const saved = await feedSaved(page);

  await context.setOffline(true);
  const offline = await page.reload();
  // The page came from the worker's copy, not the network...
  expect(offline?.fromServiceWorker()).toBe(true);
  // ...and the feed from the app's saved copy, said so with its date.
  const note = page.getByTestId('stale-note');
  await expect(note).toContainText("You're seeing a saved copy");
  await expect(note).toContainText(`${saved.slice(11, 16)} UTC`);
  await expect(page.getByTestId('result-count')).toHaveText(`${feed.activities.length} activities`);
  await expect(page.locator('.am-pin-icon, .am-cluster-icon').first()).toBeVisible();
  await screenshot(page, info, 'offline');

  // Map tiles are never kept: offline they fail, as without a worker.
  expect(await page.evaluate(() => caches.keys())).toEqual(
    expect.not.arrayContaining([expect.stringMatching(/tile/i)]),
  );
  const kept = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(r.url);
    return urls;
  });
  expect(kept.filter((u) => u.includes('/tiles/'))).toEqual([]);
  await context.setOffline(false);
});

test('after one visit in Welsh, the finder opens in Welsh with no connection', async ({ page, context }) => {
  const cy: Record<string, string> = {};
  for (const line of readFileSync('locales/cy.txt', 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (!line.trim().startsWith('#') && at > 0) cy[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  await page.goto(appUrl({ lang: 'cy' }));
  await expect(page.locator('.am-title')).toHaveText(cy['app.title']);
  await shellKept(page);
  await feedSaved(page);
  await context.setOffline(true);
  await page.reload();
  // The language's words came from the worker's copy of the build, like the app.
  await expect(page.locator('.am-title')).toHaveText(cy['app.title']);
  await expect(page.getByTestId('stale-note')).toContainText(cy['stale.title']);
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  await context.setOffline(false);
});

/** A free port on this machine, for a server of our own. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

test.describe('a new build', () => {
  // A site of its own (a copy of dist/ on its own port, so its own origin and worker),
  // which the test deploys a new build to.
  let site: string;
  let server: ChildProcess;
  let origin: string;

  test.beforeEach(async () => {
    site = mkdtempSync(join(tmpdir(), 'am-offline-'));
    cpSync('dist', site, { recursive: true });
    const port = await freePort();
    origin = `http://127.0.0.1:${port}/`;
    server = spawn('node', ['tests/tools/serve.mjs', '--port', String(port), '--root', site], { stdio: 'ignore' });
    await expect.poll(() => fetch(`${origin}index.html`).then((r) => r.status, () => 0)).toBe(200);
  });

  test.afterEach(() => {
    server.kill();
    rmSync(site, { recursive: true, force: true });
  });

  /** The new build: a changed page (a meta tag: the app sets the title itself) and script, and the worker stamped again, as Trunk's hook does. */
  function deploy(): string {
    const page = join(site, 'index.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('</title>', '</title><meta name="am-build" content="new build" />'));
    const script = join(site, 'early-feed.js');
    writeFileSync(script, `${readFileSync(script, 'utf8')}\n// new build\n`);
    execFileSync('node', ['tests/tools/stamp-sw.mjs', site]);
    return JSON.parse(/const BUILD = (.*);/.exec(readFileSync(join(site, 'sw.js'), 'utf8'))![1]).version;
  }

  test('replaces the old one on the next visit', async ({ page }) => {
    const open = async () => {
      const response = await page.goto(`${origin}${appUrl()}`);
      await expect(page.getByTestId('result-item').first()).toBeVisible();
      return response;
    };
    await open();
    const first = await shellKept(page);

    const version = deploy();
    expect(first).not.toBe(`activity-map-shell-${version}`);
    // The visit that finds the new build still opens the old one at once, from the
    // worker's copy...
    expect((await open())?.fromServiceWorker()).toBe(true);
    await expect(page.locator('meta[name=am-build]')).toHaveCount(0);
    // ...while the new build is fetched and takes over, and the old copy is dropped.
    await expect
      .poll(() => page.evaluate(() => caches.keys().then((k) => k.filter((n) => n.startsWith('activity-map-shell-')))), { timeout: 20_000 })
      .toEqual([`activity-map-shell-${version}`]);
    // The next visit runs the new build, and the app works.
    expect((await open())?.fromServiceWorker()).toBe(true);
    await expect(page.locator('meta[name=am-build]')).toHaveAttribute('content', 'new build');
    const script = await page.evaluate(() => fetch('early-feed.js').then((r) => r.text()));
    expect(script).toContain('// new build');
    await expect(page.getByTestId('result-count')).toHaveText(`${feed.activities.length} activities`);
  });
});

/** Service workers the browser has for any origin, as the browser's own DevTools list them. */
async function allWorkers(context: BrowserContext, page: Page): Promise<string[]> {
  const cdp = await context.newCDPSession(page);
  const scopes: string[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
    for (const r of registrations) if (!r.isDeleted) scopes.push(r.scopeURL);
  });
  await cdp.send('ServiceWorker.enable');
  // Registrations arrive as events; give them a moment.
  await page.waitForTimeout(500);
  return scopes;
}

test('widgets on a partner page register no service worker, there or for the app', async ({ page, context }) => {
  await page.goto(`${HOST}widgets.html`);
  await expect(page.locator('#green').getByTestId('result-item').first()).toBeVisible();
  // The app's page registers a second after its pins are all drawn, when the page is
  // idle (3 s at most): give anything of the kind longer than that.
  await page.waitForLoadState('load');
  await page.waitForTimeout(4500);
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
  expect(context.serviceWorkers()).toEqual([]);
  expect(await allWorkers(context, page)).toEqual([]);
});

test('the app in an iframe on a partner page registers no service worker', async ({ page, context }) => {
  await page.goto(`${HOST}iframe.html?app=${encodeURIComponent(`http://127.0.0.1:${PORT}/`)}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('result-item').first()).toBeVisible();
  await page.waitForLoadState('load');
  await page.waitForTimeout(4500);
  expect(context.serviceWorkers()).toEqual([]);
  expect(await allWorkers(context, page)).toEqual([]);
});

test('the app can be installed: a valid manifest, its icons, and a worker', async ({ page, context, request, playwright }) => {
  await page.goto(appUrl());
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('manifest.webmanifest');
  const response = await request.get(href!);
  expect(response.headers()['content-type']).toBe('application/manifest+json');
  const manifest = JSON.parse(await response.text());
  expect(manifest).toMatchObject({ start_url: './', display: 'standalone', theme_color: '#14532d' });
  for (const icon of manifest.icons) {
    const got = await request.get(icon.src);
    expect(got.status(), icon.src).toBe(200);
    expect(got.headers()['content-type']).toBe(icon.type);
  }
  expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  await shellKept(page);
  // The app's own page does register one (so the partner-page checks above would see one).
  expect(await allWorkers(context, page)).toEqual([`http://127.0.0.1:${PORT}/`]);
  const cdp = await context.newCDPSession(page);
  expect((await cdp.send('Page.getAppManifest')).errors).toEqual([]);

  // Chromium's own verdict, as its install prompt uses it. Test contexts are private
  // windows, which can install nothing: this asks in an ordinary profile.
  const profile = mkdtempSync(join(tmpdir(), 'am-profile-'));
  const browser = await playwright.chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    serviceWorkers: 'allow',
  });
  try {
    const app = await browser.newPage();
    await app.goto(new URL(appUrl(), `http://127.0.0.1:${PORT}/`).href);
    await shellKept(app);
    const { installabilityErrors } = await (await browser.newCDPSession(app)).send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
