import { test, expect, Page } from '@playwright/test';
import { sampleFeed, screenshot } from './helpers';

// Partner pages are served from a different origin (port) than the app.
const APP = `http://127.0.0.1:${process.env.AM_TEST_PORT ?? 4173}/`;
const HOST = `http://127.0.0.1:${Number(process.env.AM_TEST_PORT ?? 4173) + 1}/`;
const feed = sampleFeed();

async function hostPage(page: Page, params: Record<string, string> = {}) {
  const q = new URLSearchParams({ app: APP, ...params });
  await page.goto(`${HOST}iframe.html?${q}`);
  const frame = page.frameLocator('iframe');
  await expect(frame.getByTestId('result-list')).toBeVisible();
  return frame;
}

const received = (page: Page) => page.evaluate(() => (window as any).received as any[]);

test('the iframe embed works on another origin and leaves the host page alone', async ({ page }, info) => {
  await page.goto(`${HOST}iframe.html?app=${encodeURIComponent(APP)}`);
  const before = await page.locator('#host-title').evaluate((e) => getComputedStyle(e).color);
  const frame = await hostPage(page);
  await expect(frame.getByTestId('result-item')).toHaveCount(feed.activities.length);
  // The host's theme does not reach in: our buttons keep their own font and colour.
  const font = await frame.getByTestId('near-me').evaluate((e) => getComputedStyle(e).fontFamily);
  expect(font).not.toContain('Comic Sans');
  // ...and nothing of ours reaches out.
  expect(await page.locator('#host-title').evaluate((e) => getComputedStyle(e).color)).toBe(before);
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(253, 230, 138)');
  await screenshot(page, info, 'embed-iframe');
});

test('the embed tells its host about selection, shortlist and height, only at its origin', async ({ page }) => {
  const frame = await hostPage(page);
  const historyBefore = await page.evaluate(() => history.length);
  await expect.poll(async () => (await received(page)).some((m) => m.type === 'height' && m.height > 0)).toBe(true);
  const first = feed.activities[0];
  await frame.getByTestId('result-item').first().click();
  await expect.poll(async () => (await received(page)).some((m) => m.type === 'select' && m.id === first.id)).toBe(true);
  await frame.getByTestId('star').first().click();
  await expect.poll(async () => (await received(page)).some((m) => m.type === 'shortlist' && m.ids.includes(first.id))).toBe(true);
  // The host page's history is untouched by the embed's state changes.
  expect(await page.evaluate(() => history.length)).toBe(historyBefore);
});

test('"View full map" carries the embed state to the full app', async ({ page, context }) => {
  const frame = await hostPage(page);
  await frame.getByTestId('filter-cat-parkrun').click();
  const link = frame.getByTestId('full-map');
  await expect(link).toHaveAttribute('href', /cat=parkrun/);
  const href = (await link.getAttribute('href'))!;
  expect(href).not.toContain('embed=');
  const full = await context.newPage();
  await full.goto(href);
  await expect(full.getByTestId('result-item')).toHaveCount(feed.activities.filter((a) => a.category === 'parkrun').length);
});

test('geolocation in the embed works when the host allows it', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, geolocation: { latitude: 52.6071, longitude: 1.7305 } });
  await context.grantPermissions(['geolocation'], { origin: HOST.slice(0, -1) });
  await context.grantPermissions(['geolocation'], { origin: APP.slice(0, -1) });
  const page = await context.newPage();
  const frame = await hostPage(page, { allow: '1' });
  await frame.getByTestId('near-me').click();
  await expect(frame.getByTestId('origin')).toContainText('your location');
  await expect(frame.getByTestId('distance').first()).toBeVisible();
  await context.close();
});

test('without the host allowing geolocation, a clear message', async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, geolocation: { latitude: 52.6071, longitude: 1.7305 } });
  await context.grantPermissions(['geolocation'], { origin: HOST.slice(0, -1) });
  await context.grantPermissions(['geolocation'], { origin: APP.slice(0, -1) });
  const page = await context.newPage();
  const frame = await hostPage(page);
  await frame.getByTestId('near-me').click();
  await expect(frame.getByTestId('locate-message')).toContainText('Location is turned off');
  await context.close();
});

test('the builder previews the embed and writes the snippet', async ({ page }, info) => {
  await page.goto(`${APP}index.html?builder=1`);
  await page.getByTestId('builder-cat-green').check();
  await page.getByTestId('builder-centre').fill('52.6, 1.72');
  await page.getByTestId('builder-centre').blur();
  const snippet = await page.getByTestId('builder-snippet').inputValue();
  expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/index\.html\?embed=1&amp;feed=.*cat=green.*map=52\.6,1\.72,11"/);
  expect(snippet).toContain('allow="geolocation"');
  const widget = await page.getByTestId('builder-widget-snippet').inputValue();
  expect(widget).toMatch(/^<script type="module" src="http:\/\/127\.0\.0\.1:\d+\/widget\.js"><\/script>\n<activity-map feed="[^"]+sample-feed\.json" categories="green" center="52\.6,1\.72" zoom="11" height="480px"><\/activity-map>$/);
  const preview = page.frameLocator('[data-testid=builder-preview]');
  await expect(preview.getByTestId('result-item')).toHaveCount(feed.activities.filter((a) => a.category === 'green').length);
  await screenshot(page, info, 'builder');
});
