import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { appUrl, axeCheck, marksOnMap, openApp, pageNearYarmouth, sampleFeed, screenshot } from './helpers';

const feed = sampleFeed() as { activities: any[] };
const count = (pred: (a: any) => boolean) => feed.activities.filter(pred).length;
const GEOCODER = { geocoder: '/geocode' };

async function openFilters(page: Page) {
  const toggle = page.getByTestId('filters-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

test.describe('filters', () => {
  test('category chips show live counts and narrow map and list', async ({ page }) => {
    await openApp(page);
    const green = page.getByTestId('filter-cat-green');
    await expect(green).toContainText(`(${count((a) => a.category === 'green')})`);
    await green.click();
    await expect(page.getByTestId('result-item')).toHaveCount(count((a) => a.category === 'green'));
    await expect(page).toHaveURL(/cat=green/);
    // Other categories still say what they would add.
    await expect(page.getByTestId('filter-cat-parkrun')).toContainText(`(${count((a) => a.category === 'parkrun')})`);
    // The map shows only green pins and clusters holding green ones.
    await expect
      .poll(async () => (await marksOnMap(page)).all)
      .toBe(count((a) => a.category === 'green' && a.location?.lat !== undefined));
  });

  test('free, wheelchair-accessible green activities on Saturday within 3 miles, shared as a link', async ({ page, context }, info) => {
    await openApp(page, GEOCODER);
    await page.getByTestId('filter-cat-green').click();
    await openFilters(page);
    await page.getByTestId('filter-free').click();
    await page.getByTestId('filter-access-wheelchair').click();
    await page.getByTestId('filter-day-sat').click();
    await page.getByTestId('place-input').fill('N1 1AA');
    await page.getByTestId('place-go').click();
    await expect(page.getByTestId('origin')).toContainText('N1 1AA');
    await page.getByTestId('radius').selectOption('3');
    const expected = feed.activities.filter(
      (a) => a.category === 'green' && a.cost?.free && a.accessibility?.includes('wheelchair') && a.schedule?.some((s: any) => s.days.includes('sat')),
    );
    // Only the Islington one is within 3 miles of N1.
    await expect(page.getByTestId('result-item')).toHaveCount(1);
    await expect(page.getByTestId('result-item')).toContainText(expected.find((a) => a.location.postcode?.startsWith('N1'))!.name);
    // Distance and a rough walking time (5 km/h).
    await expect(page.getByTestId('distance')).toHaveText(/^\d+(\.\d)? miles? · about (\d+ min|\d+ hr( \d+ min)?) walk$/);
    await screenshot(page, info, 'filtered');

    const link = page.url();
    for (const key of ['cat=green', 'free=1', 'access=wheelchair', 'day=sat', 'r=3mi']) expect(link).toContain(key);
    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByTestId('result-item')).toHaveCount(1);
    await expect(other.getByTestId('origin')).toContainText('N1 1AA');
    await expect(other.locator('#am-f-cat-green')).toBeChecked();
    await openFilters(other);
    await expect(other.locator('#am-f-free')).toBeChecked();
    await expect(other.locator('#am-f-access-wheelchair')).toBeChecked();
  });

  test('an empty result says so and offers to clear the filters', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('search').fill('zzzz no such thing');
    await expect(page.getByTestId('empty')).toBeVisible();
    await page.getByTestId('empty').getByRole('button', { name: 'Clear filters' }).click();
    await expect(page.getByTestId('result-item')).toHaveCount(feed.activities.length);
  });

  test('the back button undoes the last change', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('filter-cat-green').click();
    await expect(page.getByTestId('result-item')).toHaveCount(count((a) => a.category === 'green'));
    await page.getByTestId('filter-cat-heritage').click();
    const both = count((a) => a.category === 'green' || a.category === 'heritage');
    await expect(page.getByTestId('result-item')).toHaveCount(both);
    await page.goBack();
    await expect(page.getByTestId('result-item')).toHaveCount(count((a) => a.category === 'green'));
    await expect(page.locator('#am-f-cat-heritage')).not.toBeChecked();
    await page.goBack();
    await expect(page.getByTestId('result-item')).toHaveCount(feed.activities.length);
  });
});

test.describe('search', () => {
  test('is instant, case- and accent-insensitive', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('search').pressSequentially('CAFE');
    const withCafe = count((a) => JSON.stringify([a.name, a.description, a.tags, a.organiser, a.location]).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').match(/\bcafe/) !== null);
    expect(withCafe).toBeGreaterThan(0);
    await expect(page.getByTestId('result-item')).toHaveCount(withCafe);
    await expect(page).toHaveURL(/q=CAFE/);
  });

  test('forgives one typo in a long word, listing what matches as typed first; folds typed accents and many alphabets', async ({ page }) => {
    const activities = [
      { id: 'club', name: 'Gardening club', category: 'green', location: { lat: 52.6, lng: 1.3 } },
      { id: 'bowls', name: 'Bowls club', category: 'green', location: { lat: 52.61, lng: 1.31 } },
      { id: 'street', name: 'Gardne Street social', category: 'hub', location: { lat: 52.62, lng: 1.32 } },
      { id: 'cafe', name: 'Café Łódź', category: 'hub', location: { lat: 52.63, lng: 1.33 } },
      { id: 'ist', name: 'İstanbul Kebab Club', category: 'hub', location: { lat: 52.64, lng: 1.34 } },
      { id: 'ro', name: 'Ștefan Țara walks', category: 'green', location: { lat: 52.65, lng: 1.35 } },
    ];
    const body = JSON.stringify({ format: 'activity-map/1', feed: { name: 'Typos' }, activities });
    await page.route((u) => u.pathname === '/typos.json', (route) => route.fulfill({ body, contentType: 'application/json' }));
    await page.goto(appUrl({ feed: '/typos.json' }));
    await expect(page.getByTestId('result-item')).toHaveCount(6);
    const search = page.getByTestId('search');
    const names = () => page.getByTestId('result-item').locator('.am-item-name').allTextContents();
    // "gardne": one street as typed, then the club with two letters swapped.
    await search.fill('gardne');
    await expect.poll(names).toEqual(['Gardne Street social', 'Gardening club']);
    await expect(page.getByTestId('near-note')).toHaveText('The last one is spelled a little differently from your search.');
    // Two typos, or a typo in a short word, find nothing.
    await search.fill('grdane');
    await expect(page.getByTestId('empty')).toBeVisible();
    await search.fill('bowsl');
    await expect.poll(names).toEqual(['Bowls club']);
    await search.fill('bwl');
    await expect(page.getByTestId('empty')).toBeVisible();
    // An accent typed as a separate mark; Polish, Turkish and Romanian letters typed plain.
    await expect(page.getByTestId('near-note')).toBeHidden();
    for (const [typed, name] of [['cafe\u0301', 'Café Łódź'], ['lodz', 'Café Łódź'], ['istanbul', 'İstanbul Kebab Club'], ['stefan tara', 'Ștefan Țara walks']]) {
      await search.fill(typed);
      await expect.poll(names).toEqual([name]);
    }
  });
});

test.describe('near me', () => {
  test('granted: distances on every result, nearest first', async ({ browser }, info) => {
    const page = await pageNearYarmouth(browser, info);
    await openApp(page);
    await page.getByTestId('near-me').click();
    await expect(page.getByTestId('origin')).toContainText('your location');
    // The link never carries the device's position.
    expect(page.url()).not.toContain('52.60');
    await page.getByTestId('radius').selectOption('any');
    const items = page.getByTestId('result-item');
    await expect(items).toHaveCount(feed.activities.length);
    const distances = await page.getByTestId('distance').allTextContents();
    expect(distances.length).toBe(count((a) => a.location?.lat !== undefined));
    // "1.2 miles · about 40 min walk": the first number is the distance.
    const miles = distances.map((d) => parseFloat(d));
    expect([...miles].sort((a, b) => a - b)).toEqual(miles);
    expect(miles[0]).toBeLessThan(2);
    await page.context().close();
  });

  test('denied: a clear message and the page keeps working', async ({ browser }, info) => {
    const context = await browser.newContext({ ...info.project.use, permissions: [] });
    const page = await context.newPage();
    await openApp(page);
    await page.getByTestId('near-me').click();
    await expect(page.getByTestId('locate-message')).toContainText('Location is turned off');
    await page.getByTestId('filter-cat-parkrun').click();
    await expect(page.getByTestId('result-item')).toHaveCount(count((a) => a.category === 'parkrun'));
    await context.close();
  });

  test('unavailable: says so', async ({ browser }, info) => {
    const context = await browser.newContext({ ...info.project.use, permissions: ['geolocation'] });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    // No position at all: Chromium reports POSITION_UNAVAILABLE.
    await cdp.send('Emulation.setGeolocationOverride', {});
    await openApp(page);
    await page.getByTestId('near-me').click();
    await expect(page.getByTestId('locate-message')).toContainText("isn't available");
    await context.close();
  });

  test('timed out: says so', async ({ browser }, info) => {
    // Permission granted but no position to be had: Chromium lets the request run
    // into the app's 10-second timeout and answers TIMEOUT, as a slow GPS fix would.
    const context = await browser.newContext({ ...info.project.use, permissions: ['geolocation'] });
    const page = await context.newPage();
    await openApp(page);
    await page.getByTestId('near-me').click();
    await expect(page.getByTestId('locate-message')).toContainText('took too long', { timeout: 20_000 });
    // The page keeps working.
    await page.getByTestId('search').fill('parkrun');
    await expect(page.getByTestId('result-item').first()).toBeVisible();
    await context.close();
  });

  test('only what is in the map view, when asked', async ({ page }) => {
    await openApp(page, { map: '52.6,1.5,10' });
    await page.getByTestId('in-view-only').check();
    await expect.poll(() => page.getByTestId('result-item').count()).toBeLessThan(feed.activities.length);
    const shown = await page.getByTestId('result-item').count();
    const inView = count((a) => a.location?.lat > 52.2 && a.location?.lat < 53.0 && a.location?.lng > 0.7 && a.location?.lng < 2.3);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(inView);
    await expect(page).toHaveURL(/inview=1/);
    await page.getByTestId('in-view-only').uncheck();
    await expect(page.getByTestId('result-item')).toHaveCount(feed.activities.length);
  });

  test('a postcode or town through the geocoder; a clear message when unknown', async ({ page }) => {
    await openApp(page, GEOCODER);
    await page.getByTestId('place-input').fill('Great Yarmouth');
    await page.getByTestId('place-go').click();
    await expect(page.getByTestId('origin')).toContainText('Near Great Yarmouth');
    await expect(page.getByTestId('result-count')).toContainText('near Great Yarmouth');
    await page.getByTestId('place-input').fill('ZZ99 9ZZ');
    await page.getByTestId('place-go').click();
    await expect(page.getByTestId('locate-message')).toContainText("couldn't find the postcode ZZ99 9ZZ");
  });

  test('works fully with the geocoder switched off', async ({ page }) => {
    await openApp(page, { geocoder: 'off' });
    await expect(page.getByTestId('place-input')).toHaveCount(0);
    await page.getByTestId('search').fill('parkrun');
    await expect(page.getByTestId('result-item').first()).toBeVisible();
  });
});

test.describe('details, calendar, shortlist', () => {
  test('copy link gives a link that opens the same activity', async ({ browser }, info) => {
    const context = await browser.newContext({ ...info.project.use, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await openApp(page);
    await page.getByTestId('filter-cat-heritage').click();
    const a = feed.activities.find((x) => x.category === 'heritage')!;
    await page.getByTestId('result-item').filter({ hasText: a.name }).first().click();
    await page.getByTestId('share').click();
    await expect(page.getByTestId('action-status')).toContainText('Link copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain(`sel=${a.id}`);
    expect(link).toContain('cat=heritage');
    const other = await context.newPage();
    await other.goto(link);
    await expect(other.getByTestId('details').getByRole('heading', { name: a.name })).toBeVisible();
    await expect(other.getByTestId('result-item')).toHaveCount(count((x) => x.category === 'heritage'));
    await context.close();
  });

  test('details say when, where, cost, access and how to join; calendar file for the next session', async ({ page }) => {
    await openApp(page);
    const a = feed.activities.find((x) => x.category === 'parkrun')!;
    await page.getByTestId('result-item').filter({ hasText: a.name }).first().click();
    const d = page.getByTestId('details');
    await expect(d).toContainText('Saturdays 9:00–10:00');
    await expect(d.getByRole('link', { name: 'Walking directions' })).toHaveAttribute('href', /openstreetmap\.org\/directions/);
    await expect(d.getByRole('link', { name: 'Website' })).toHaveAttribute('href', /^https:\/\//);
    const download = page.waitForEvent('download');
    await d.getByTestId('add-to-calendar').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.ics$/);
    const text = readFileSync(await file.path(), 'utf8');
    expect(text).toContain('BEGIN:VEVENT');
    expect(text).toContain('DTSTART;TZID=Europe/London:');
    expect(text).toContain('T090000');
    expect(text).toContain('RRULE:FREQ=WEEKLY;BYDAY=SA');
  });

  test('shortlist: star, survive a reload, share, print', async ({ page, context }, info) => {
    await openApp(page);
    const stars = page.getByTestId('star');
    await stars.nth(0).click();
    await stars.nth(2).click();
    await expect(page.getByTestId('open-shortlist')).toContainText('Shortlist (2)');
    // The link is written a task after each change (state.rs, bind_to_link), and a
    // reload opens the link as it is then: wait until it holds both.
    await expect.poll(() => new URL(page.url()).searchParams.get('list')?.split(',').length ?? 0).toBe(2);
    await page.reload();
    await expect(page.getByTestId('open-shortlist')).toContainText('Shortlist (2)');
    await page.getByTestId('open-shortlist').click();
    const dialog = page.getByTestId('shortlist');
    await expect(dialog.getByTestId('shortlist-item')).toHaveCount(2);
    await expect(dialog.getByTestId('shortlist-item').first()).toContainText(feed.activities[0].name);
    await axeCheck(page, 'shortlist dialog');
    await screenshot(page, info, 'shortlist');

    // The shared link carries the shortlist to someone else's browser.
    const link = new URL(page.url());
    expect(link.searchParams.get('list')).toBe(`${feed.activities[0].id},${feed.activities[2].id}`);
    const other = await (await page.context().browser()!.newContext({ ...info.project.use })).newPage();
    link.searchParams.set('show', 'shortlist');
    await other.goto(link.toString());
    await expect(other.getByTestId('shortlist').getByTestId('shortlist-item')).toHaveCount(2);

    // Print: only the shortlist, in full.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('print-view')).toBeVisible();
    await expect(page.getByTestId('print-view').locator('article')).toHaveCount(2);
    await expect(page.getByTestId('map')).toBeHidden();
    await page.screenshot({ path: `target/screenshots/${info.project.name}-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });
});

test.describe('keyboard and screen reader', () => {
  test('everything works from the keyboard alone', async ({ page }) => {
    await openApp(page);
    await page.getByTestId('search').focus();
    await page.keyboard.type('walk');
    // Tab forward to the green category chip and tick it with the space bar.
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.id === 'am-f-cat-green')) break;
    }
    await expect(page.locator('#am-f-cat-green')).toBeFocused();
    await page.keyboard.press('Space');
    await expect(page.locator('#am-f-cat-green')).toBeChecked();
    const n = await page.getByTestId('result-item').count();
    expect(n).toBeGreaterThan(0);
    // On to the first result, open it with Enter: focus lands on its heading.
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'result-item')) break;
    }
    await page.keyboard.press('Enter');
    await expect(page.locator('#am-details-title')).toBeFocused();
    // Map pins are keyboard buttons with names.
    const pinNames = await page.locator('.am-pin-icon[role=button]').allTextContents();
    expect(pinNames.length).toBeGreaterThan(0);
    expect(pinNames.every((t) => t.length > 3)).toBe(true);
  });

  test('axe finds no WCAG violations on the main screens', async ({ page }) => {
    await openApp(page);
    await axeCheck(page, 'home');
    await openFilters(page);
    await axeCheck(page, 'filters open');
    await page.getByTestId('result-item').first().click();
    await axeCheck(page, 'details');
    await page.goto(appUrl({ feed: '/fixtures/app/malformed.json' }));
    await expect(page.getByTestId('feed-error')).toBeVisible();
    await axeCheck(page, 'error');
  });
});

test.describe('publishers and dropped connections', () => {
  test('broken listings are reported quietly while the good ones show', async ({ page }, info) => {
    await page.goto(appUrl({ feed: '/fixtures/app/mixed.json' }));
    await expect(page.getByTestId('result-item')).toHaveCount(3);
    const problems = page.getByTestId('problems');
    await expect(problems).toContainText('2 listings could not be shown');
    await problems.locator('summary').click();
    await expect(problems).toContainText('/activities/1');
    await expect(problems).toContainText('sparkly');
    // Feed text is text: no script ran, no unsafe link was made.
    await page.getByTestId('result-item').filter({ hasText: 'History club' }).click();
    await expect(page.getByTestId('details')).toContainText(/alert\('x'\)\s*Old photos & tea\./);
    await expect(page.getByTestId('details').getByRole('link', { name: 'Website' })).toHaveCount(0);
    await screenshot(page, info, 'problems');
  });

  test('a dropped connection shows the last good copy with its date', async ({ page }) => {
    const params = { feed: '/fixtures/app/mixed.json' };
    await page.goto(appUrl(params));
    await expect(page.getByTestId('result-item')).toHaveCount(3);
    // The copy is saved shortly after the feed is shown (not on the way to the first pins).
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const cache = await caches.open('activity-map-feeds');
          return (await cache.keys()).map((r) => new URL(r.url).pathname);
        }),
      )
      .toContain('/fixtures/app/mixed.json');
    await page.route('**/fixtures/app/mixed.json', (route) => route.abort('internetdisconnected'));
    await page.reload();
    await expect(page.getByTestId('stale-note')).toContainText("You're seeing a saved copy");
    await expect(page.getByTestId('result-item')).toHaveCount(3);
  });
});
