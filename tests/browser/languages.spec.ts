import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { appUrl, openApp, sampleFeed, screenshot } from './helpers';

// The finder in English, Welsh and Urdu (right to left). What each language says is
// read from its message file, so these tests check that the page shows the file's
// words, in the right form, where they belong.
const APP = `http://127.0.0.1:${process.env.AM_TEST_PORT ?? 4173}/`;
const HOST = `http://127.0.0.1:${Number(process.env.AM_TEST_PORT ?? 4173) + 1}/`;
const feed = sampleFeed();

function messages(lang: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(`locales/${lang}.txt`, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const at = t.indexOf('=');
    out[t.slice(0, at).trim()] = t.slice(at + 1).trim();
  }
  return out;
}
const en = messages('en');
const cy = messages('cy');
const ur = messages('ur');

// Unicode CLDR's plural forms, for the counts checked here.
const cyForm = (n: number) => ({ 0: 'zero', 1: 'one', 2: 'two', 3: 'few', 6: 'many' } as Record<number, string>)[n] ?? 'other';
const urForm = (n: number) => (n === 1 ? 'one' : 'other');
const fill = (text: string, args: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (all, k) => (k in args ? String(args[k]) : all));
const count = (m: Record<string, string>, key: string, n: number, form: (n: number) => string) =>
  fill(m[`${key}[${form(n)}]`] ?? m[`${key}[other]`], { n: n.toLocaleString('en-GB') });

async function axe(page: Page, state: string) {
  const r = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const found = r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  expect(found, `axe violations: ${state}`).toEqual([]);
}

test('Welsh from the link: every part of the finder speaks it, in the right plural forms', async ({ page }, info) => {
  const asked: string[] = [];
  page.on('request', (r) => r.url().includes('/locales/') && asked.push(new URL(r.url()).pathname));
  await openApp(page, { lang: 'cy' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'cy-GB');
  await expect(page).toHaveTitle(cy['app.page_title']);
  await expect(page.getByTestId('language')).toHaveValue('cy');
  await expect(page.locator('.am-app')).toHaveAttribute('dir', 'ltr');
  await expect(page.locator('.am-title')).toHaveText(cy['app.title']);
  // Only Welsh's own words are downloaded.
  expect(asked).toEqual(['/locales/cy.txt']);
  const all = feed.activities.length;
  await expect(page.getByTestId('result-count')).toHaveText(count(cy, 'results.count', all, cyForm));
  await expect(page.getByTestId('search')).toHaveAttribute('placeholder', cy['search.placeholder']);
  await expect(page.getByTestId('near-me')).toContainText(cy['near.button']);
  await expect(page.getByTestId('filters-toggle')).toHaveText(cy['filters.more']);
  // The map's clusters are named in Welsh for screen readers, and so are its buttons.
  const cluster = page.locator('[data-testid=cluster]').first();
  await expect(cluster).toBeAttached();
  const n = Number(await cluster.getAttribute('data-count'));
  await expect(cluster.locator('.am-sr')).toHaveText(count(cy, 'map.cluster', n, cyForm));
  await expect(page.locator('.leaflet-control-zoom-in')).toHaveAttribute('aria-label', cy['map.zoom_in']);
  // A day's name in the filters, and a parkrun's schedule in its details.
  await page.getByTestId('filters-toggle').click();
  await expect(page.getByTestId('filter-day-sat')).toContainText(cy['weekday.sat']);
  await expect(page.getByTestId('filter-free')).toContainText(cy['cost.free']);
  await page.getByTestId('filter-free').click();
  await expect(page.getByTestId('filters-toggle')).toHaveText(count(cy, 'filters.more_on', 1, cyForm));
  await page.getByTestId('filter-free').click();
  await page.getByTestId('filters-toggle').click();
  await page.getByTestId('result-item').filter({ hasText: 'parkrun' }).first().click();
  const details = page.getByTestId('details');
  await expect(details).toContainText(cy['details.when']);
  await expect(details).toContainText(cy['weekday.sat.every']);
  await expect(details.getByTestId('walking-directions')).toHaveText(cy['details.walking']);
  await expect(details.getByTestId('close-details')).toHaveAttribute('aria-label', cy['details.close']);
  await screenshot(page, info, 'welsh-details');
  await page.getByTestId('close-details').click();
  // No English left on screen (the feed's own text aside): the file's English for
  // a few of the finder's words does not appear.
  const text = await page.locator('.am-app').innerText();
  for (const key of ['search.label', 'near.button', 'filters.more', 'app.title']) {
    expect(text, key).not.toContain(en[key]);
  }
  await screenshot(page, info, 'welsh');
  await axe(page, 'Welsh');
});

test('the picker changes the language where the person is, keeps what they chose, and the link keeps it', async ({ page }) => {
  await openApp(page, { cat: 'parkrun' });
  const parkruns = feed.activities.filter((a) => a.category === 'parkrun').length;
  await expect(page.getByTestId('result-count')).toHaveText(`${parkruns} activities`);
  await page.getByTestId('star').first().click();
  await expect(page.getByTestId('open-shortlist')).toContainText('(1)');
  // English needs no file; the picker names each language in its own words.
  await expect(page.getByTestId('language').locator('option')).toHaveText(['English', 'Cymraeg', 'اردو']);
  await page.getByTestId('language').selectOption('cy');
  await expect(page.locator('.am-title')).toHaveText(cy['app.title']);
  await expect(page.getByTestId('result-count')).toHaveText(count(cy, 'results.count', parkruns, cyForm));
  await expect(page.getByTestId('open-shortlist')).toContainText('(1)');
  await expect(page.getByTestId('result-item')).toHaveCount(parkruns);
  // Keyboard focus is back on the picker once the finder is built again, and it
  // shows the language in use.
  await expect(page.getByTestId('language')).toBeFocused();
  await expect(page.getByTestId('language')).toHaveValue('cy');
  await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('cy');
  expect(new URL(page.url()).searchParams.get('cat')).toBe('parkrun');
  // A reload, or the link sent on, opens in Welsh.
  await page.reload();
  await expect(page.locator('.am-title')).toHaveText(cy['app.title']);
  await expect(page.getByTestId('language')).toHaveValue('cy');
  await expect(page.getByTestId('result-count')).toHaveText(count(cy, 'results.count', parkruns, cyForm));
  // And back to English; Back returns to Welsh.
  await page.getByTestId('language').selectOption('en');
  await expect(page.locator('.am-title')).toHaveText(en['app.title']);
  await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('en');
  await page.goBack();
  await expect(page.locator('.am-title')).toHaveText(cy['app.title']);
});

test('a change of language keeps "More filters" open and a half-typed postcode', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('filters-toggle').click();
  await expect(page.getByTestId('day-filters')).toBeVisible();
  await page.getByTestId('place-input').fill('NR1');
  await page.getByTestId('language').selectOption('cy');
  await expect(page.locator('.am-title')).toHaveText(cy['app.title']);
  await expect(page.getByTestId('filters-toggle')).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('day-filters')).toBeVisible();
  await expect(page.getByTestId('filter-panel')).toContainText(cy['details.when']);
  await expect(page.getByTestId('place-input')).toHaveValue('NR1');
});

test('two quick choices: the second is what is shown, whichever words arrive last', async ({ page }) => {
  await openApp(page);
  // Welsh's words are held back until after Urdu's have arrived.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/locales/cy.txt', async (route) => {
    await held;
    await route.continue();
  });
  await page.getByTestId('language').selectOption('cy');
  await page.getByTestId('language').selectOption('ur');
  await expect(page.locator('.am-title')).toHaveText(ur['app.title']);
  release();
  await page.waitForTimeout(500);
  await expect(page.locator('.am-title')).toHaveText(ur['app.title']);
  await expect(page.getByTestId('language')).toHaveValue('ur');
  expect(new URL(page.url()).searchParams.get('lang')).toBe('ur');
});

test('a language whose words cannot be downloaded leaves the finder as it was, and the link and picker say so', async ({ page }) => {
  await openApp(page);
  await page.route('**/locales/ur.txt', (route) => route.abort());
  await page.getByTestId('language').selectOption('ur');
  await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('en');
  await expect(page.getByTestId('language')).toHaveValue('en');
  await expect(page.locator('.am-title')).toHaveText(en['app.title']);
  await expect(page.getByTestId('result-item').first()).toBeVisible();
});

test("the browser's own language is used when the link names none, and is not written into the link", async ({ browser }, info) => {
  const context = await browser.newContext({ ...info.project.use, locale: 'ur-PK' });
  const page = await context.newPage();
  await page.goto(appUrl());
  await expect(page.locator('.am-title')).toHaveText(ur['app.title']);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.getByTestId('search').fill('parkrun');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('parkrun');
  expect(new URL(page.url()).searchParams.has('lang')).toBe(false);
  await context.close();
  // A language we do not have falls back to English, with no file asked for.
  const other = await browser.newContext({ ...info.project.use, locale: 'fr-FR' });
  const french = await other.newPage();
  const asked: string[] = [];
  french.on('request', (r) => r.url().includes('/locales/') && asked.push(r.url()));
  await french.goto(appUrl());
  await expect(french.locator('.am-title')).toHaveText(en['app.title']);
  await expect(french.getByTestId('result-item').first()).toBeVisible();
  expect(asked).toEqual([]);
  await other.close();
});

test('Urdu reads right to left: the page, the list, the chips and the map controls are mirrored', async ({ page }, info) => {
  await openApp(page, { lang: 'ur' });
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ur');
  await expect(page.locator('.am-title')).toHaveText(ur['app.title']);
  await expect(page.getByTestId('result-count')).toHaveText(count(ur, 'results.count', feed.activities.length, urForm));
  const width = page.viewportSize()!.width;
  // The zoom buttons are on the right, the map's credit on the left.
  const zoom = (await page.locator('.leaflet-control-zoom').boundingBox())!;
  expect(zoom.x).toBeGreaterThan(width / 2);
  const credit = (await page.locator('.leaflet-control-attribution').boundingBox())!;
  expect(credit.x).toBeLessThan(width / 2);
  // A row's star is at its left end, its name at the right.
  const row = (await page.getByTestId('result-item').first().boundingBox())!;
  const star = (await page.getByTestId('star').first().boundingBox())!;
  expect(star.x).toBeLessThan(row.x + row.width / 2);
  const name = (await page.locator('.am-item-name').first().boundingBox())!;
  expect(name.x + name.width).toBeGreaterThan(row.x + row.width / 2);
  // The first category chip starts at the right.
  const chips = page.locator('[data-testid=category-filters] .am-chip');
  const first = (await chips.nth(0).boundingBox())!;
  const second = (await chips.nth(1).boundingBox())!;
  expect(first.x).toBeGreaterThan(second.x);
  if (width >= 900) {
    // Wide screens: the panel stands on the right of the map.
    const panel = (await page.locator('.am-panel').boundingBox())!;
    const map = (await page.getByTestId('map').boundingBox())!;
    expect(panel.x).toBeGreaterThan(map.x);
  }
  // The details: dates, distances and times in Urdu.
  await page.getByTestId('result-item').filter({ hasText: 'parkrun' }).first().click();
  const details = page.getByTestId('details');
  await expect(details).toContainText(ur['weekday.sat.every']);
  await expect(details).toContainText(ur['details.cost']);
  await screenshot(page, info, 'urdu-details');
  await page.getByTestId('close-details').click();
  await screenshot(page, info, 'urdu');
  await axe(page, 'Urdu');
});

test('a phone number and an email address keep their own order inside Urdu text', async ({ page }) => {
  const one = {
    format: 'activity-map/1',
    feed: { name: 'One' },
    activities: [{ id: 'a', name: 'Choir', category: 'hub', location: { lat: 52.63, lng: 1.3 }, contact: { phone: '01603 123456', email: 'choir@example.org' } }],
  };
  await page.route((url) => url.pathname === '/one.json', (route) => route.fulfill({ body: JSON.stringify(one), contentType: 'application/json' }));
  await page.goto(appUrl({ lang: 'ur', feed: '/one.json' }));
  await page.getByTestId('result-item').first().click();
  const details = page.getByTestId('details');
  // Isolated (U+2066 … U+2069), so the right-to-left sentence around them cannot reorder
  // their groups; the links themselves are as before.
  await expect(details.locator('a[href="tel:01603123456"]')).toHaveText(fill(ur['details.call'], { phone: '\u206601603 123456\u2069' }));
  await expect(details.locator('a[href="mailto:choir@example.org"]')).toHaveText(fill(ur['details.email'], { email: '\u2066choir@example.org\u2069' }));
});

test('distances and walking times are in the language chosen', async ({ browser }, info) => {
  const context = await browser.newContext({
    ...info.project.use,
    geolocation: { latitude: 52.6076, longitude: 1.7298 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await page.goto(appUrl({ lang: 'cy' }));
  await page.getByTestId('near-me').click();
  await expect(page.getByTestId('origin')).toContainText(fill(cy['near.near'], { place: cy['near.your_location'] }));
  const first = page.getByTestId('distance').first();
  await expect(first).toBeVisible();
  // "1.2 milltir · tua 20 munud o gerdded": the unit and the walk in Welsh.
  const unit = cy['distance.miles'].replace('{d}', '').trim();
  await expect(first).toContainText(unit);
  const walk = cy['walk.minutes'].split('{m}')[0].trim();
  await expect(first).toContainText(walk);
  await expect(page.getByTestId('result-count')).toContainText(cy['near.your_location']);
  await context.close();
});

test('a widget speaks the language of its lang attribute, right to left included, and changes with it', async ({ page }, info) => {
  await page.goto(`${HOST}theme.html`);
  const finder = page.locator('#finder');
  await expect(finder.getByTestId('result-item').first()).toBeVisible();
  await expect(finder.locator('.am-title')).toHaveText(en['app.title']);
  // The partner page's own language and direction are left alone.
  await page.locator('#finder').evaluate((e) => e.setAttribute('lang', 'ur'));
  await expect(finder.locator('.am-title')).toHaveText(ur['app.title']);
  await expect(finder.locator('.am-app')).toHaveAttribute('dir', 'rtl');
  await expect(finder.locator('.am-app')).toHaveAttribute('lang', 'ur');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(await page.locator('html').getAttribute('dir')).toBeNull();
  await expect(finder.getByTestId('result-count')).toHaveText(count(ur, 'results.count', feed.activities.length, urForm));
  await screenshot(page, info, 'widget-urdu');
  // axe looks inside the widget's shadow root too.
  await axe(page, 'widget in Urdu');
  await page.locator('#finder').evaluate((e) => e.setAttribute('lang', 'cy'));
  await expect(finder.locator('.am-title')).toHaveText(cy['app.title']);
  await expect(finder.locator('.am-app')).toHaveAttribute('dir', 'ltr');
});

/** A new widget at the top of the host page, speaking `lang`. */
async function addWidget(page: Page, id: string, lang: string) {
  await page.evaluate(([id, lang]) => {
    const e = document.createElement('activity-map');
    e.id = id;
    e.setAttribute('lang', lang);
    document.body.prepend(e);
  }, [id, lang]);
}

test("a widget's own loading line, before the app has arrived, is in the widget's language", async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/activity-map_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${HOST}theme.html`);
  await addWidget(page, 'cy-widget', 'cy');
  const box = page.locator('#cy-widget .am-widget');
  await expect(box).toHaveText(cy['boot.loading']);
  await expect(box).toHaveAttribute('lang', 'cy');
  // The page's other widget, with no language of its own, says it in the browser's (English).
  await expect(page.locator('#finder .am-widget')).toHaveText(en['boot.loading']);
  release();
  await expect(page.locator('#cy-widget').getByTestId('result-item').first()).toBeVisible();
  await expect(page.locator('#cy-widget .am-title')).toHaveText(cy['app.title']);
});

test('a widget that cannot load says so in its language, and why', async ({ page }) => {
  await page.route('**/activity-map_bg.wasm', (route) => route.abort());
  await page.goto(`${HOST}theme.html`);
  await addWidget(page, 'ur-widget', 'ur');
  const box = page.locator('#ur-widget .am-widget');
  const [before, after] = ur['widget.failed'].split('{reason}');
  await expect(box).toContainText(before);
  await expect(box).toContainText(after);
  await expect(box).toHaveAttribute('dir', 'auto');
  expect((await box.textContent())!.length).toBeGreaterThan(before.length + after.length);
  await expect(page.locator('#finder .am-widget')).toContainText(en['widget.failed'].split('{reason}')[0]);
});

test('the iframe embed takes the language from its link, and passes axe inside the frame', async ({ page }) => {
  await page.goto(`${HOST}iframe.html?app=${encodeURIComponent(APP)}&lang=cy`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.am-title')).toHaveText(cy['app.title']);
  await expect(frame.getByTestId('result-item').first()).toBeVisible();
  await expect(frame.getByTestId('full-map')).toContainText(cy['app.view_full_map']);
  // The full map opens in the same language.
  expect(new URL((await frame.getByTestId('full-map').getAttribute('href'))!).searchParams.get('lang')).toBe('cy');
  await axe(page, 'iframe in Welsh');
});

for (const lang of ['en', 'cy', 'ur']) {
  test(`no axe violations at 200% zoom in ${lang}, with the details and the shortlist open`, async ({ page }) => {
    // 200% zoom: the desktop window with half as many CSS pixels across; on the phone,
    // the 320 px that WCAG's reflow criterion asks for.
    const size = page.viewportSize()!;
    await page.setViewportSize(size.width >= 900 ? { width: size.width / 2, height: size.height / 2 } : { width: 320, height: 568 });
    await openApp(page, { lang });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await axe(page, `${lang}: the finder`);
    await page.getByTestId('result-item').first().click();
    await expect(page.getByTestId('details')).toBeVisible();
    await axe(page, `${lang}: details`);
    await page.getByTestId('star').first().click();
    await page.getByTestId('open-shortlist').click();
    await expect(page.getByTestId('shortlist')).toBeVisible();
    await axe(page, `${lang}: shortlist`);
  });
}

test("early-feed.js starts the chosen language's download, and connects to the default tiles' host only when the link names no tiles", async ({ page }) => {
  // The script run with a stand-in page (nothing is fetched or connected to): what it
  // would fetch and which links it would add.
  await openApp(page);
  const source = readFileSync('assets/early-feed.js', 'utf8');
  const run = (search: string, languages: string[]) =>
    page.evaluate(
      ({ source, search, languages }) => {
        const fetched: string[] = [];
        const links: string[] = [];
        const fakeWindow: Record<string, unknown> = {};
        const fakeDocument = {
          baseURI: 'https://maps.example/finder/',
          head: { appendChild: (l: { rel: string; href: string }) => links.push(`${l.rel} ${l.href}`) },
          createElement: () => ({ rel: '', href: '' }),
          documentElement: { dir: '' },
        };
        const fakeFetch = (url: string) => {
          fetched.push(url);
          return Promise.resolve();
        };
        new Function('location', 'document', 'navigator', 'fetch', 'window', source)(
          { search },
          fakeDocument,
          { languages },
          fakeFetch,
          fakeWindow,
        );
        return { fetched, links, dir: fakeDocument.documentElement.dir };
      },
      { source, search, languages },
    );
  const tiles = 'preconnect https://tile.openstreetmap.org';
  expect(await run('', ['en-GB'])).toEqual({ fetched: ['https://maps.example/finder/sample-feed.json'], links: [tiles], dir: '' });
  expect(await run('?tiles=/t/{z}/{x}/{y}.png', ['cy-GB', 'en'])).toEqual({
    fetched: ['https://maps.example/finder/locales/cy.txt', 'https://maps.example/finder/sample-feed.json'],
    links: [],
    dir: '',
  });
  // The link's language first; one the finder lacks gives way to the browser's. Urdu
  // lays the page out from the right at once (the first view's sheet with it).
  const urdu = await run('?lang=ur&tiles=x', ['cy']);
  expect(urdu.fetched[0]).toBe('https://maps.example/finder/locales/ur.txt');
  expect(urdu.dir).toBe('rtl');
  expect((await run('?lang=fr&tiles=x', ['cy'])).fetched[0]).toBe('https://maps.example/finder/locales/cy.txt');
  expect((await run('?lang=en&tiles=x', ['cy'])).fetched).toEqual(['https://maps.example/finder/sample-feed.json']);
  // The page's "Loading…" line is put in the language as soon as its words arrive.
  const boot = await page.evaluate((source) => {
    const el = { textContent: 'Loading the activity map…', lang: '', dir: '' };
    const fakeDocument = {
      baseURI: 'https://maps.example/finder/',
      head: { appendChild: () => 0 },
      createElement: () => ({}),
      getElementById: (id: string) => (id === 'am-boot' ? el : null),
    };
    const words = 'app.title = Map\nboot.loading = Wrthi = llwytho…\n';
    const response = { ok: true, clone: () => ({ text: () => Promise.resolve(words) }) };
    new Function('location', 'document', 'navigator', 'fetch', 'window', source)(
      { search: '?lang=cy&tiles=x' },
      fakeDocument,
      { languages: [] },
      () => Promise.resolve(response),
      {},
    );
    return new Promise((done) => setTimeout(() => done(el), 50));
  }, source);
  expect(boot).toEqual({ textContent: 'Wrthi = llwytho…', lang: 'cy', dir: 'auto' });
  // And the app's own page, opened with local tiles (as every test is), adds no connection out.
  expect(await page.locator('link[rel=preconnect]').count()).toBe(0);
});
