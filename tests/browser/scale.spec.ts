import { test, expect, Page } from '@playwright/test';
import { appUrl, marksOnMap } from './helpers';

// A feed large enough (24,000 activities, well over the app's 5,000) that the finder works
// out its answers a slice at a time and draws new results in a task of their own.
// Made here, served to the page by Playwright (never shipped, never fetched from outside).
const CATEGORIES = ['green', 'parkrun', 'heritage', 'hub'];
const N = 24000;
const activities = Array.from({ length: N }, (_, i) => ({
  id: `a${i}`,
  // Every 7th has a word nothing else in the feed contains.
  name: i % 7 === 0 ? `Lantern walk ${i}` : `Group ${i}`,
  category: CATEGORIES[i % 4],
  location: { lat: 50.3 + ((i * 7919) % 5000) / 1000, lng: -4.5 + ((i * 104729) % 6000) / 1000 },
}));
const body = JSON.stringify({ format: 'activity-map/1', feed: { name: 'Scale test' }, activities });
const lanterns = activities.filter((_, i) => i % 7 === 0);

async function open(page: Page) {
  await page.route((url) => url.pathname === '/scale-feed.json', (route) => route.fulfill({ body, contentType: 'application/json' }));
  await page.goto(appUrl({ feed: '/scale-feed.json' }));
  await expect(page.getByTestId('result-count')).toHaveText(`${N.toLocaleString('en-GB')} activities`, { timeout: 30000 });
}

// What the map's marks stand for: pins count one, clusters their number.
const onMap = async (page: Page) => (await marksOnMap(page)).all;

test('a large feed is filtered and searched a slice at a time, with the same answers', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('preview-mark')).toHaveCount(0);
  await expect.poll(() => onMap(page)).toBe(N);
  const green = page.getByTestId('filter-cat-green');
  await expect(green).toContainText(`(${N / 4})`);

  await green.click();
  await expect(page.getByTestId('result-count')).toHaveText(`${(N / 4).toLocaleString('en-GB')} activities`);
  await expect.poll(() => onMap(page)).toBe(N / 4);
  await green.click();
  await expect(page.getByTestId('result-count')).toHaveText(`${N.toLocaleString('en-GB')} activities`);

  // Typing on narrows the last answer; each step gives what a fresh search would.
  const search = page.getByTestId('search');
  for (const typed of ['l', 'la', 'lan', 'lant', 'lantern']) {
    await search.fill(typed);
    const expected = activities.filter((a) => a.name.toLowerCase().includes(typed)).length;
    await expect(page.getByTestId('result-count')).toHaveText(`${expected.toLocaleString('en-GB')} activities`);
  }
  await expect.poll(() => onMap(page)).toBe(lanterns.length);
  // The counts follow the search too.
  await expect(page.getByTestId('filter-cat-green')).toContainText(
    `(${lanterns.filter((a) => a.category === 'green').length})`,
  );
  await search.fill('');
  await expect(page.getByTestId('result-count')).toHaveText(`${N.toLocaleString('en-GB')} activities`);
  await expect.poll(() => onMap(page)).toBe(N);
});

test('as a large feed comes in, the finder is shown in steps, each part built once, and the list fills its first page', async ({ page }) => {
  // Anything of the finder taken out of the page once shown (a part built again would
  // lose what the person had started to do in it: focus, an open panel, typed words).
  await page.addInitScript(() => {
    const gone: string[] = ((window as any).__removed = []);
    const watched = ['search', 'category-filters', 'filters-toggle', 'result-list'];
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.removedNodes) {
          if (!(n instanceof Element)) continue;
          for (const id of watched) if (n.matches(`[data-testid="${id}"]`) || n.querySelector(`[data-testid="${id}"]`)) gone.push(id);
        }
    }).observe(document, { childList: true, subtree: true });
  });
  await open(page);
  await expect(page.getByTestId('search')).toBeVisible();
  await expect(page.getByTestId('filter-cat-green')).toBeVisible();
  // The first page of the list, drawn a few rows a frame.
  await expect(page.getByTestId('result-item')).toHaveCount(60);
  await expect(page.getByTestId('show-more')).toHaveText(`Show more (${(N - 60).toLocaleString('en-GB')} not shown yet)`);
  expect(await page.evaluate(() => (window as any).__removed)).toEqual([]);
  // Each row's star is a drawing, named for what it does.
  await expect(page.getByTestId('star').first()).toHaveAttribute('aria-label', /^Add (Lantern walk|Group) \d+ to shortlist$/);
  await expect(page.getByTestId('star').first().locator('svg')).toHaveAttribute('aria-hidden', 'true');
});

test('a new result set draws each of its rows once, from the top', async ({ page }) => {
  // 400 activities (under the sliced size): a filter change replaces a full first page
  // of 60 rows with another. Each row of the new set should be put in the page once: its
  // first rows at once, the rest a few a frame. (A new set once started from as many
  // rows as the old one had shown, all built only to be dropped a moment later: a 100 ms
  // task on a throttled phone at every keystroke.)
  const small = activities.slice(0, 400);
  const smallBody = JSON.stringify({ format: 'activity-map/1', feed: { name: 'Small' }, activities: small });
  await page.route((url) => url.pathname === '/small-feed.json', (route) => route.fulfill({ body: smallBody, contentType: 'application/json' }));
  await page.goto(appUrl({ feed: '/small-feed.json' }));
  await expect(page.getByTestId('result-count')).toHaveText('400 activities');
  await expect(page.getByTestId('result-item')).toHaveCount(60);
  await page.evaluate(() => {
    const w = window as any;
    w.__added = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) if (n instanceof Element && n.matches('li.am-item')) w.__added++;
    }).observe(document.querySelector('[data-testid=result-list]')!, { childList: true, subtree: true });
  });
  await page.getByTestId('filter-cat-green').click();
  await expect(page.getByTestId('result-count')).toHaveText('100 activities');
  await expect(page.getByTestId('result-item')).toHaveCount(60);
  await expect(page.getByTestId('show-more')).toHaveText('Show more (40 not shown yet)');
  expect(await page.evaluate(() => (window as any).__added)).toBe(60);
  // The new set's first row is its first activity.
  await expect(page.getByTestId('result-item').first()).toContainText(small.filter((a) => a.category === 'green')[0].name);
});
