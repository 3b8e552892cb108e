import { test, expect } from '@playwright/test';
import { appUrl, openApp, resourceTiming, wasmRequests } from './helpers';

// The wasm is split (tests/tools/split-wasm.mjs): a feed in our format opens with the main
// module alone, and each other part is downloaded the first time it is needed.


test('a feed in our format opens with the main module only; the details come when first needed', async ({ page }) => {
  const wasm = wasmRequests(page);
  await openApp(page);
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  expect(wasm).toEqual(['activity-map_bg.wasm']);

  await page.getByTestId('result-item').first().click();
  await expect(page.getByTestId('details')).toBeVisible();
  expect(wasm).toContain('split_details.wasm');
  expect(wasm).not.toContain('split_readers.wasm');
  expect(wasm).not.toContain('split_calendar.wasm');
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

test('"More filters" is downloaded when first opened, and reached from the keyboard as before', async ({ page }) => {
  const wasm = wasmRequests(page);
  await openApp(page);
  await expect(page.getByTestId('filter-cat-green')).toBeVisible();
  expect(wasm).not.toContain('split_filters.wasm');

  const toggle = page.getByTestId('filters-toggle');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('day-filters')).toBeVisible();
  expect(wasm).toContain('split_filters.wasm');
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

  // Closed and opened again: the same panel, the choice kept, no second download.
  await toggle.click();
  await expect(page.getByTestId('filter-panel')).toBeHidden();
  await toggle.click();
  await expect(choice).toBeChecked();
  expect(wasm.filter((w) => w === 'split_filters.wasm')).toHaveLength(1);
});

test('"More filters" that cannot be downloaded says so', async ({ page }) => {
  await page.route('**/split_filters.wasm', (route) => route.abort());
  await openApp(page);
  await page.getByTestId('filters-toggle').click();
  await expect(page.getByTestId('filter-panel')).toContainText('could not be downloaded');
});
