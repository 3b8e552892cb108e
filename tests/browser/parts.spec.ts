import { test, expect, Page } from '@playwright/test';
import { appUrl, holdBack, openApp, resourceTiming, sampleFeed, wasmRequests } from './helpers';

// The wasm is split (tests/tools/split-wasm.mjs): the main module draws a feed's first
// pins in the page's first view (src/app/first_view.rs) while the finder, a part of its
// own, downloads; the readers of other feed shapes are parts downloaded when needed.

/** Holds back the finder's part until the returned function is called. */
const holdFinder = (page: Page) => holdBack(page, '**/split_finder.wasm');

/** What the first view's map shows: pins, and clusters with their counts. */
function firstMarks(page: Page) {
  return page.evaluate(() => {
    const map = document.getElementById('am-first-map');
    const pins = map ? map.querySelectorAll('.am-pin-icon').length : 0;
    const clustered = map
      ? [...map.querySelectorAll('.am-cluster')].reduce((n, c) => n + Number(c.getAttribute('data-count')), 0)
      : 0;
    return { pins, clustered, total: pins + clustered };
  });
}

const located = (category?: string) =>
  sampleFeed().activities.filter((a) => a.location?.lat !== undefined && (!category || a.category === category)).length;

test('the first pins come with the main module alone, every one of the feed\'s, then the finder takes over', async ({ page }) => {
  const wasm = wasmRequests(page);
  const release = await holdFinder(page);
  await page.goto(appUrl());
  await expect.poll(async () => (await firstMarks(page)).total).toBe(located());
  // Drawn before the finder is here: the page's own "Loading…" line still shows.
  expect(await page.evaluate(() => performance.getEntriesByName('am-drawn').length)).toBeGreaterThan(0);
  await expect(page.locator('#am-boot')).toBeVisible();
  await expect(page.getByTestId('result-list')).toHaveCount(0);
  expect(wasm).not.toContain('split_readers.wasm');
  expect(wasm).not.toContain('split_paged.wasm');

  release();
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  // The first view goes once the finder's map shows the same place.
  await expect(page.locator('#am-first')).toHaveCount(0);
  expect(wasm.filter((w) => w === 'split_finder.wasm')).toHaveLength(1);
  // The details are in the finder: selecting downloads nothing more.
  const before = wasm.length;
  await page.getByTestId('result-item').first().click();
  await expect(page.getByTestId('details')).toBeVisible();
  expect(wasm.length).toBe(before);
});

test('the first pins follow the link\'s filters, and the finder opens where they were', async ({ page }) => {
  const release = await holdFinder(page);
  await page.goto(appUrl({ cat: 'green' }));
  await expect.poll(async () => (await firstMarks(page)).total).toBe(located('green'));
  const firstZoom = await page.evaluate(() => (document.querySelector('#am-first-map .leaflet-tile') as HTMLImageElement | null)?.src);
  expect(firstZoom).toBeTruthy();
  release();
  // The list has the green ones without a place too.
  await expect(page.getByTestId('result-item')).toHaveCount(sampleFeed().activities.filter((a) => a.category === 'green').length);
  await expect(page.locator('#am-first')).toHaveCount(0);
  // The finder's map asked for the tiles the first view showed: it opened on the same place.
  const tiles = await page.evaluate(() => [...document.querySelectorAll('[data-testid=map] .leaflet-tile')].map((t) => (t as HTMLImageElement).src));
  expect(tiles).toContain(firstZoom);
});

test('a finder that cannot be downloaded says so, and the first pins stay', async ({ page }) => {
  await page.route('**/split_finder.wasm', (route) => route.abort());
  await page.goto(appUrl());
  await expect(page.locator('#am-boot')).toContainText('could not be downloaded');
  expect((await firstMarks(page)).total).toBe(located());
});

test('the glue, the parts loader and the wasm are asked for together, not one after another', async ({ page }) => {
  // The glue imports the loader (`__wasm_split.js`): the page preloads it beside the
  // glue, so it is not asked for only once the glue has arrived.
  await openApp(page);
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  const t = await resourceTiming(page);
  const glue = t['activity-map.js'];
  expect(t['__wasm_split.js'].start).toBeLessThan(glue.end);
  expect(t['activity-map_bg.wasm'].start).toBeLessThan(glue.end);
  // Preloaded with its hash, like the glue and the wasm.
  await expect(page.locator('link[rel=modulepreload][href="./__wasm_split.js"]')).toHaveAttribute('integrity', /^sha384-[A-Za-z0-9+/]{64}$/);
});

test('a part that cannot be downloaded is a clear message, and trying again works', async ({ page }) => {
  await page.route('**/split_readers.wasm', (route) => route.abort());
  await page.goto(appUrl({ feed: '/fixtures/app/geojson.json' }));
  await expect(page.getByTestId('feed-error')).toContainText('could not be downloaded');

  await page.unroute('**/split_readers.wasm');
  await page.getByTestId('feed-error').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('result-item')).toHaveCount(2);
});

test('"More filters" is reached from the keyboard: Enter opens it, Tab reaches its first choice', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('filter-cat-green')).toBeVisible();

  const toggle = page.getByTestId('filters-toggle');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('day-filters')).toBeVisible();
  // The next stop after the toggle is the first choice inside, as before the split.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el && el.closest('#am-filter-panel') && el.type === 'checkbox' ? el.id : null;
  });
  expect(focused).toBeTruthy();
  const choice = page.locator(`[id="${focused}"]`);
  await page.keyboard.press('Space');
  await expect(choice).toBeChecked();
  await expect(page.getByTestId('clear-filters')).toBeVisible();

  // Closed and opened again: the same panel, the choice kept.
  await toggle.click();
  await expect(page.getByTestId('filter-panel')).toBeHidden();
  await toggle.click();
  await expect(choice).toBeChecked();
});


for (const lang of ['en', 'ur']) {
  test(`the first view's list sheet is where the finder's then is (${lang})`, async ({ page }) => {
    const release = await holdFinder(page);
    await page.goto(appUrl({ lang }));
    await expect.poll(async () => (await firstMarks(page)).total).toBeGreaterThan(0);
    const first = (await page.locator('.am-first-panel').boundingBox())!;
    expect(await page.evaluate(() => document.documentElement.dir || 'ltr')).toBe(lang === 'ur' ? 'rtl' : 'ltr');
    release();
    await expect(page.getByTestId('result-item').first()).toBeVisible();
    await expect(page.locator('#am-first')).toHaveCount(0);
    const panel = (await page.locator('.am-panel').boundingBox())!;
    for (const side of ['x', 'y', 'width', 'height'] as const) {
      expect(Math.abs(first[side] - panel[side]), side).toBeLessThan(2);
    }
  });
}
