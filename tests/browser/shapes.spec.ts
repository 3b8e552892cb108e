import { test, expect } from '@playwright/test';
import { appUrl } from './helpers';

// Each feed shape the loader reads shows in the app with the right activities.
const SHAPES = [
  { file: 'app/geojson.json', names: ['Seafront health walk', 'Castle memories group'], problems: /1 listing could not be shown/ },
  { file: 'app/parkrun-events.json', names: ['Bushy parkrun', 'Heaton parkrun', 'Alexandra junior parkrun'], problems: null },
  // The standard's example is one RPDE page whose `next` is on another host (example.com):
  // the page is read, and a note says why no more pages were.
  { file: 'openactive/sessionseries_example_1.json', names: ['Virtual BODYPUMP'], problems: null, note: /next page as https:\/\/www\.example\.com\/.*on another host/ },
  { file: 'oruk/service_full.json', names: ['Community Counselling'], problems: /1 listing has no place on the map/ },
];

for (const shape of SHAPES) {
  test(`reads ${shape.file}`, async ({ page }) => {
    await page.goto(appUrl({ feed: `/fixtures/${shape.file}` }));
    await expect(page.getByTestId('result-item')).toHaveCount(shape.names.length);
    for (const name of shape.names) await expect(page.getByTestId('result-list')).toContainText(name);
    if (shape.problems) await expect(page.getByTestId('problems')).toContainText(shape.problems);
    else await expect(page.getByTestId('problems')).toHaveCount(0);
    if (shape.note) await expect(page.getByTestId('partial-note')).toContainText(shape.note);
    else await expect(page.getByTestId('partial-note')).toHaveCount(0);
  });
}

test('a parkrun event says when, costs nothing and links to its page', async ({ page }) => {
  await page.goto(appUrl({ feed: '/fixtures/app/parkrun-events.json' }));
  await page.getByTestId('result-item').filter({ hasText: 'Alexandra junior parkrun' }).click();
  const d = page.getByTestId('details');
  await expect(d).toContainText('Sundays 9:00–9:30');
  await expect(d).toContainText('Ages 4–14');
  await expect(d.getByRole('link', { name: 'Website' })).toHaveAttribute('href', 'https://www.parkrun.org.uk/alexandra-juniors/');
});

test('the link can put a whole feed in one category', async ({ page }) => {
  await page.goto(appUrl({ feed: '/fixtures/oruk/service_full.json', category: 'green' }));
  await expect(page.getByTestId('filter-cat-green')).toContainText('(1)');
  await expect(page.getByTestId('filter-cat-hub')).toHaveCount(0);
});
