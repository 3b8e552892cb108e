import { test, expect, Page } from '@playwright/test';
import { appUrl, screenshot } from './helpers';

// Feeds published as many pages, from mock publishers served by tests/tools/serve.mjs
// (/publisher/PATH?page=N sends tests/fixtures/publisher/PATH.N.json).
const PORT = Number(process.env.AM_TEST_PORT ?? 4173);
const OTHER = `http://127.0.0.1:${PORT + 1}`;

const names = (page: Page) => page.getByTestId('result-item');

/** Each publisher page answered after `ms`, so the progress can be seen. */
async function slowPages(page: Page, ms: number) {
  await page.route('**/publisher/**', async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    await route.continue();
  });
}

test('an RPDE feed is followed to its last page: updates win, deletes stay deleted', async ({ page }, info) => {
  await slowPages(page, 400);
  await page.goto(appUrl({ feed: '/publisher/rpde/series?page=1' }));
  await expect(page.getByTestId('loading-count')).toHaveText(/^ page [23] · \d+ read$/);
  if (info.project.name === 'phone') await screenshot(page, info, 'paged-progress');
  await expect(names(page)).toHaveCount(4);
  const list = page.getByTestId('result-list');
  for (const name of ['Chair yoga (new time)', 'Walking football', 'Seafront walk', 'Memory cafe']) await expect(list).toContainText(name);
  // Deleted on page 2; the older update on page 3 does not bring it back.
  await expect(list).not.toContainText('Knit and natter');
  await expect(page.getByTestId('partial-note')).toHaveCount(0);
  await expect(page.getByTestId('problems')).toHaveCount(0);
});

test('a dataset site: its series and sessions feeds are joined, one pin per series with its dates', async ({ page }) => {
  await page.goto(appUrl({ feed: '/publisher/site/index.html' }));
  await expect(names(page)).toHaveCount(2);
  await expect(page.locator('.am-pin-icon[role=button]')).toHaveCount(2);
  await names(page).filter({ hasText: 'Aqua fit' }).click();
  const d = page.getByTestId('details');
  for (const day of ['7 Jan 2030', '14 Jan 2030', '21 Jan 2030']) await expect(d).toContainText(day);
  // A session long past is not shown.
  await expect(d).not.toContainText('2020');
});

test('an ORUK API: every page of services, placed by its service_at_locations list', async ({ page }) => {
  await page.goto(appUrl({ feed: '/publisher/oruk/services' }));
  await expect(names(page)).toHaveCount(5);
  await expect(page.getByTestId('result-list')).toContainText('Bereavement group');
  await expect(page.locator('.am-pin-icon, .am-cluster-icon').first()).toBeVisible();
  await expect(page.getByTestId('problems')).toHaveCount(0);
});

test('an ORUK API with no service_at_locations list: each service is looked up for its place', async ({ page }) => {
  await page.goto(appUrl({ feed: '/publisher/oruk-details/services' }));
  await expect(names(page)).toHaveCount(2);
  await expect(page.locator('.am-pin-icon[role=button]')).toHaveCount(2);
  await expect(page.getByTestId('problems')).toHaveCount(0);
});

test('a feed larger than the page limit says so and shows what it read', async ({ page }, info) => {
  // `pages` lowers the limit (never above the reader's own, 2,000 RPDE pages).
  await page.goto(appUrl({ feed: '/publisher/rpde/series?page=1', pages: '2' }));
  const note = page.getByTestId('partial-note');
  await expect(note).toContainText('larger than the map reads in a browser');
  await expect(note).toContainText('stopped after 2 pages');
  await expect(note).toContainText('can harvest the whole feed');
  await expect(names(page)).toHaveCount(3);
  await expect(page.getByTestId('result-list')).not.toContainText('Memory cafe');
  // Where reading stopped is said once, in the note, not as a listing that could not be shown.
  await expect(page.getByTestId('problems')).toHaveCount(0);
  if (info.project.name === 'phone') await screenshot(page, info, 'paged-limit');
});

test('a page failing mid-feed keeps what was read and says so', async ({ page }) => {
  await page.goto(appUrl({ feed: '/publisher/rpde/broken?page=1' }));
  const note = page.getByTestId('partial-note');
  await expect(note).toContainText('Page 3 could not be fetched');
  await expect(note).toContainText('404');
  await expect(names(page)).toHaveCount(3);
});

test('a publisher that does not allow other sites (CORS) is explained', async ({ page }) => {
  await page.goto(appUrl({ feed: `${OTHER}/nocors/publisher/rpde/series?page=1` }));
  const error = page.getByTestId('feed-error');
  await expect(error).toContainText("couldn't reach the activity feed");
  await expect(error).toContainText('publisher must allow that (CORS)');
});

test('a page refused mid-feed (CORS) keeps what was read and says why', async ({ page }) => {
  await page.goto(appUrl({ feed: `${OTHER}/publisher/rpde/cors?page=1` }));
  const note = page.getByTestId('partial-note');
  await expect(note).toContainText('Page 2 could not be fetched');
  await expect(note).toContainText('must allow other websites to read the feed (CORS)');
  await expect(names(page)).toHaveCount(1);
});
