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
  // Deleted on page 2; the older update on page 4 does not bring it back.
  await expect(list).not.toContainText('Knit and natter');
  // Page 3 is empty but leads on: not the last page, so page 4 (Memory cafe) is read too.
  await expect(list).toContainText('Memory cafe');
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
  // A session long past is not shown, nor one deleted (28 Jan) or cancelled (4 Feb).
  await expect(d).not.toContainText('2020');
  await expect(d).not.toContainText('28 Jan 2030');
  await expect(d).not.toContainText('4 Feb 2030');
});

test('an ORUK API: every page of services, placed by its service_at_locations list', async ({ page }) => {
  await page.goto(appUrl({ feed: '/publisher/oruk/services' }));
  await expect(names(page)).toHaveCount(5);
  await expect(page.getByTestId('result-list')).toContainText('Bereavement group');
  await expect(page.locator('.am-pin-icon, .am-cluster-icon').first()).toBeVisible();
  await expect(page.getByTestId('problems')).toHaveCount(0);
});

test('an ORUK v1 API (content, totalPages, places in each service): every page read, with progress', async ({ page }) => {
  await slowPages(page, 600);
  await page.goto(appUrl({ feed: '/publisher/oruk-v1/services' }));
  await expect(page.getByTestId('loading-count')).toHaveText(/^ page 1 · 2 read$/);
  await expect(names(page)).toHaveCount(3);
  const list = page.getByTestId('result-list');
  for (const name of ['Allotment club', 'Singing for the brain', 'Chess in the library']) await expect(list).toContainText(name);
  await expect(page.locator('.am-pin-icon[role=button]')).toHaveCount(3);
  await expect(page.getByTestId('partial-note')).toHaveCount(0);
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

test('a first page whose next page is on another host is read alone, and the note says why', async ({ page }) => {
  await page.goto(appUrl({ feed: '/publisher/rpde/elsewhere?page=1' }));
  await expect(names(page)).toHaveCount(2);
  const note = page.getByTestId('partial-note');
  await expect(note).toContainText('gives its next page as http://elsewhere.example/rpde/series?page=2, which is on another host');
  await expect(note).toContainText('Only what that page holds is shown.');
  await expect(page.getByTestId('problems')).toHaveCount(0);
});
