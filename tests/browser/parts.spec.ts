import { test, expect, Page } from '@playwright/test';
import { appUrl, openApp } from './helpers';

// The wasm is split (tests/tools/split-wasm.mjs): a feed in our format opens with the main
// module alone, and each other part is downloaded the first time it is needed.

/** The names of the .wasm files the page asks for, in order. */
function wasmRequests(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (r) => {
    const name = new URL(r.url()).pathname.split('/').pop() ?? '';
    if (name.endsWith('.wasm')) names.push(name);
  });
  return names;
}

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

test('a part that cannot be downloaded is a clear message, and trying again works', async ({ page }) => {
  await page.route('**/split_readers.wasm', (route) => route.abort());
  await page.goto(appUrl({ feed: '/fixtures/app/geojson.json' }));
  await expect(page.getByTestId('feed-error')).toContainText('could not be downloaded');

  await page.unroute('**/split_readers.wasm');
  await page.getByTestId('feed-error').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('result-item')).toHaveCount(2);
});
