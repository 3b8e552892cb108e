import { test, expect, Page, Route } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appUrl, marksOnMap, projector, screenshot } from './helpers';

// A tiled feed (a pack, docs/pack-format.md) of 50,000 generated activities, written
// here by genfeed and served to the page by Playwright from the folder it wrote.
const N = 50000;
let dir = '';

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'am-pack-'));
  const built = ['target/release/genfeed', 'target/debug/genfeed'].find((b) => existsSync(b));
  const args = ['--count', String(N), '--seed', '1', '--pack', join(dir, 'pack')];
  if (built) execFileSync(built, args, { stdio: 'pipe' });
  else execFileSync('cargo', ['run', '--quiet', '--release', '--bin', 'genfeed', '--', ...args], { stdio: 'pipe' });
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Node = [number, number, number, number, number, number, number[]];
const index = () => JSON.parse(readFileSync(join(dir, 'pack', 'pack.json'), 'utf8')) as { nodes: Node[]; counted: string[] };

/** Serve the pack at /pack/, answering `broken` paths with what they say (`late`: after
 *  the others, 1.5 s on); every path asked for is listed, in order. */
async function servePack(page: Page, broken: Record<string, 'missing' | 'garbage' | 'late'> = {}): Promise<string[]> {
  const asked: string[] = [];
  await page.route(
    (url) => url.pathname.startsWith('/pack/'),
    async (route: Route) => {
      const path = new URL(route.request().url()).pathname.slice('/pack/'.length);
      asked.push(path);
      if (broken[path] === 'missing') return route.fulfill({ status: 404, body: 'not here' });
      if (broken[path] === 'garbage') return route.fulfill({ body: '{"activities": [ oops', contentType: 'application/json' });
      if (broken[path] === 'late') await new Promise((r) => setTimeout(r, 1500));
      const file = join(dir, 'pack', path);
      if (!existsSync(file)) return route.fulfill({ status: 404, body: 'not here' });
      return route.fulfill({ body: readFileSync(file), contentType: 'application/json' });
    },
  );
  return asked;
}

/** The tile a path names: [z, x, y]. */
const tileOf = (path: string) => path.replace(/\.json$/, '').split('/').slice(1).map(Number);

/** The lat/lng box a tile covers. */
function boxOf([z, x, y]: number[]) {
  const n = 2 ** z;
  const lat = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return { west: (x / n) * 360 - 180, east: ((x + 1) / n) * 360 - 180, north: lat(y), south: lat(y + 1) };
}

/** What the map's marks stand for: pins count one, clusters their number. */
const onMap = marksOnMap;

const LONDON = { lat: 51.5072, lng: -0.1276 };

test('the whole country opens from the index alone, as clusters with their counts', async ({ page }, info) => {
  const asked = await servePack(page);
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off' }));
  await expect(page.getByTestId('pack-note')).toContainText(`${N.toLocaleString('en-GB')} activities`);
  await expect(page.locator('[data-testid=cluster]').first()).toBeVisible();
  // The clusters and pins stand for every activity with a place (the index's root).
  const root = index().nodes[0];
  const placed = root[6].reduce((a, b) => a + b, 0);
  await expect.poll(async () => (await onMap(page)).all).toBe(placed);
  // The index and a few tiles: nothing like the pack's hundreds of files.
  expect(asked[0]).toBe('pack.json');
  expect(asked.length).toBeLessThan(12);
  expect(asked.filter((p) => p.startsWith('nodes/'))).toEqual([]);
  await screenshot(page, info, 'pack-country');
});

test('the first view draws the index\'s clusters before the finder is here, then the finder takes over', async ({ page }) => {
  const asked = await servePack(page);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await page.route('**/split_finder.wasm', async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', cat: 'green' }));
  // Every green activity with a place, in clusters on the first view's map, from the
  // index alone: no tile of activities fetched yet.
  const root = index().nodes[0];
  const green = root[6][index().counted.indexOf('green')];
  const firstCounts = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('#am-first-map .am-cluster')].reduce((n, c) => n + Number(c.getAttribute('data-count')), 0),
    );
  await expect.poll(firstCounts).toBe(green);
  await expect(page.locator('#am-boot')).toBeVisible();
  expect(asked).toEqual(['pack.json']);
  release();
  await expect(page.locator('#am-first')).toHaveCount(0);
  await expect.poll(async () => (await onMap(page)).all).toBe(green);
});

test('for a pack, the finder is asked for once the first view has drawn the clusters, not sharing the connection before', async ({ page }) => {
  await servePack(page);
  const drawnWhenAsked: number[] = [];
  await page.route('**/split_finder.wasm', async (route) => {
    drawnWhenAsked.push(await page.evaluate(() => document.querySelectorAll('#am-first-map .am-cluster').length));
    await route.continue();
  });
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off' }));
  await expect(page.locator('#am-first')).toHaveCount(0);
  expect(drawnWhenAsked).toHaveLength(1);
  expect(drawnWhenAsked[0]).toBeGreaterThan(0);
});

test('a city opens on the tiles in view only, and moving the map fetches the next ones', async ({ page }, info) => {
  const asked = await servePack(page);
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `${LONDON.lat},${LONDON.lng},15` }));
  await expect.poll(async () => (await onMap(page)).pins).toBeGreaterThan(0);
  const tiles = asked.filter((p) => p.startsWith('tiles/'));
  // London's part of the tree, then only tiles near the middle of London.
  expect(asked).toContain('nodes/8/127/85.json');
  expect(tiles.length).toBeGreaterThan(0);
  expect(tiles.length).toBeLessThanOrEqual(16);
  for (const t of tiles) {
    const b = boxOf(tileOf(t));
    expect(b.west < LONDON.lng + 0.05 && b.east > LONDON.lng - 0.05, t).toBe(true);
    expect(b.south < LONDON.lat + 0.05 && b.north > LONDON.lat - 0.05, t).toBe(true);
  }
  // The list holds the activities of those tiles, and says why.
  const listed = parseInt((await page.getByTestId('result-count').textContent())!.replace(/\D/g, ''), 10);
  expect(listed).toBeGreaterThan(0);
  expect(listed).toBeLessThan(N);
  await screenshot(page, info, 'pack-london');

  // East along the Thames by keyboard (80 px a press; a tile here is 256 to 1,024 px
  // wide): new tiles are fetched, none twice.
  const before = asked.length;
  await page.getByTestId('map').focus();
  // (A press while the last pan still moves is dropped: pressed until tiles come, or
  // 100 presses, some 8,000 px.)
  for (let i = 0; i < 100 && asked.length === before; i++) {
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(150);
  }
  expect(asked.length).toBeGreaterThan(before);
  await page.waitForTimeout(500);
  const seen = asked.filter((p) => p.startsWith('tiles/'));
  expect(new Set(seen).size).toBe(seen.length);
  // The link says where the map is: opened again, it shows the same place.
  await expect(page).toHaveURL(/map=51\.5/);
});

test('a missing tile and a broken one are reported, and the rest still shows', async ({ page }) => {
  // Two of the tiles the London view needs (found by opening it once).
  const first = await servePack(page);
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `${LONDON.lat},${LONDON.lng},15` }));
  await expect.poll(async () => (await onMap(page)).pins).toBeGreaterThan(0);
  const needed = first.filter((p) => p.startsWith('tiles/'));
  expect(needed.length).toBeGreaterThan(2);
  await page.unrouteAll();

  const asked = await servePack(page, { [needed[0]]: 'missing', [needed[1]]: 'garbage' });
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `${LONDON.lat},${LONDON.lng},15` }));
  await expect(page.getByTestId('pack-missing')).toHaveText(/^2 parts of the map could not be loaded/);
  await expect.poll(async () => (await onMap(page)).pins).toBeGreaterThan(0);
  expect(asked).toContain(needed[2]);
  // The broken tiles' places are still drawn, as clusters of what the index counts.
  expect((await onMap(page)).clusters).toBeGreaterThan(0);
});

test('a category filter narrows the clusters from the index and the pins from the tiles', async ({ page }) => {
  await servePack(page);
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off' }));
  await expect(page.locator('[data-testid=cluster]').first()).toBeVisible();
  const root = index().nodes[0];
  const green = root[6][index().counted.indexOf('green')];
  await expect.poll(async () => (await onMap(page)).all).toBe(root[6].reduce((a, b) => a + b, 0));
  // The chip counts the area in view from the index: here, the whole country.
  await expect(page.getByTestId('filter-cat-green')).toContainText(`(${green})`);
  await page.getByTestId('filter-cat-green').click();
  await expect.poll(async () => (await onMap(page)).all).toBe(green);
  // And in the link: opened again, the same.
  await expect(page).toHaveURL(/cat=green/);
  await page.reload();
  await expect.poll(async () => (await onMap(page)).all).toBe(green);
});

test('a pack whose index is broken says so', async ({ page }) => {
  await page.route(
    (url) => url.pathname === '/pack/pack.json',
    (route) => route.fulfill({ body: '{"format": "activity-map-pack/1", "feed": {"name": "x"}}', contentType: 'application/json' }),
  );
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off' }));
  await expect(page.getByRole('alert').or(page.getByTestId('load-error'))).toContainText('tiled feed (pack)');
});

test('near me on a pack brings the tiles around the person, nearest first', async ({ browser }, info) => {
  // In Leeds (the link never carries the position; the pack's tiles there are fetched).
  const context = await browser.newContext({
    ...info.project.use,
    permissions: ['geolocation'],
    geolocation: { latitude: 53.8008, longitude: -1.5491 },
  });
  const page = await context.newPage();
  const asked = await servePack(page);
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off' }));
  await expect(page.locator('[data-testid=cluster]').first()).toBeVisible();
  await page.getByTestId('near-me').click();
  await expect(page.getByTestId('origin')).toContainText('your location');
  await expect(page.getByTestId('distance').first()).toBeVisible({ timeout: 15000 });
  const miles = (await page.getByTestId('distance').allTextContents()).map((d) => parseFloat(d));
  expect([...miles].sort((a, b) => a - b)).toEqual(miles);
  expect(miles[0]).toBeLessThan(3);
  // Tiles near Leeds were fetched.
  const near = asked.filter((p) => p.startsWith('tiles/')).map((p) => boxOf(tileOf(p)));
  expect(near.some((b) => b.west < -1.5491 && b.east > -1.5491 && b.south < 53.8008 && b.north > 53.8008)).toBe(true);
  expect(page.url()).not.toContain('53.80');
  await screenshot(page, info, 'pack-near-me');
  await context.close();
});

test('a pin from a pack opens its details, and the link brings them back', async ({ page }) => {
  await servePack(page);
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `${LONDON.lat},${LONDON.lng},16` }));
  const item = page.getByTestId('result-item').first();
  await expect(item).toBeVisible();
  const name = (await item.locator('.am-item-name').textContent())!;
  await item.click();
  await expect(page.getByTestId('details').getByRole('heading', { name })).toBeVisible();
  // Opened again from the link: the same activity, from the same tiles.
  await page.reload();
  await expect(page.getByTestId('details').getByRole('heading', { name })).toBeVisible();
});

/** The activities of a pack's tiles that a search for `word` finds (a word start in
 *  any of the texts the finder searches). */
function matchesIn(tiles: string[], word: string): string[] {
  const start = new RegExp(`(^|[^a-z0-9])${word}`, 'i');
  return tiles.flatMap((t) => {
    const doc = JSON.parse(readFileSync(join(dir, 'pack', 'tiles', `${t}.json`), 'utf8'));
    return doc.activities
      .filter((a: any) => {
        const l = a.location ?? {};
        const texts = [a.name, a.description, a.organiser, l.place, l.address, l.postcode, l.area, ...(a.tags ?? [])];
        return texts.some((s) => typeof s === 'string' && start.test(s));
      })
      .map((a: any) => a.id as string);
  });
}

/** The tiles the pack's words index lists for `word`. */
function tilesFor(word: string): string[] {
  const shard = JSON.parse(readFileSync(join(dir, 'pack', 'words', `${word.slice(0, 2)}.json`), 'utf8'));
  const row = shard.words.find((r: any[]) => r[0] === word);
  return row?.[2] ?? [];
}

const resultCount = async (page: Page) =>
  parseInt(((await page.getByTestId('result-count').textContent()) ?? '').replace(/,/g, ''), 10);

test('a search looks through the names of the whole pack, reading only the tiles that hold them', async ({ page }, info) => {
  const asked = await servePack(page);
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `${LONDON.lat},${LONDON.lng},13` }));
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  const before = asked.length;
  // Truro is 370 km from the map: its tiles come through the words index.
  const truro = tilesFor('truro');
  expect(truro.length).toBeGreaterThan(0);
  const expected = matchesIn(truro, 'truro');
  expect(expected.length).toBeGreaterThan(0);
  await page.getByTestId('search').fill('Truro');
  await expect(page.getByTestId('pack-note')).toContainText('Searched the names of all');
  await expect.poll(() => resultCount(page)).toBe(expected.length);
  const names = await page.locator('[data-testid=result-item] .am-item-name').allTextContents();
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(n).toContain('Truro');
  // Only the words file for "tr" and Truro's tiles were fetched for it.
  const since = asked.slice(before);
  expect(since).toContain('words/tr.json');
  for (const p of since.filter((p) => p.startsWith('tiles/'))) {
    expect(truro).toContain(p.replace(/^tiles\//, '').replace(/\.json$/, ''));
  }
  // While a search is on, the index's clusters (which count every name) are not drawn.
  expect((await onMap(page)).clusters).toBe(0);
  await page.getByTestId('pack-note').scrollIntoViewIfNeeded();
  await screenshot(page, info, 'pack-search-truro');
  // A match far away opens where it is.
  await page.getByTestId('result-item').first().click();
  await expect(page.getByTestId('details')).toBeVisible();
  await expect.poll(() => new URL(page.url()).searchParams.get('map') ?? '').toMatch(/^50\.[12]/);
  // A word in every other name is too common to look for across the country: said so.
  await page.getByTestId('close-details').click();
  await page.getByTestId('search').fill('parkrun');
  await expect(page.getByTestId('pack-note')).toContainText('too many to look through');
  // Cleared, the clusters come back.
  await page.getByTestId('search').fill('');
  await expect(page.getByTestId('pack-note')).toContainText('the list holds those in the area on the map');
});

test('a words file that cannot be read is said, and the area on the map is still searched', async ({ page }) => {
  await servePack(page, { 'words/le.json': 'garbage' });
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `53.8008,-1.5491,14` }));
  await expect(page.getByTestId('result-item').first()).toBeVisible();
  await page.getByTestId('search').fill('Leeds');
  await expect(page.getByTestId('pack-note')).toContainText('could not be searched across the country');
  await expect(page.getByTestId('result-item').first()).toContainText('Leeds');
  // A word whose file is fine is searched across the pack as usual.
  await page.getByTestId('search').fill('Truro');
  await expect(page.getByTestId('pack-note')).toContainText('Searched the names of all');
});

test('tiles that arrive out of order leave every pin where its activity is', async ({ page }) => {
  // The tile the view asks for first comes last: the catalog is built again with it in
  // front, and every activity after it changes its place in the list.
  const first = await (async () => {
    const probe = await page.context().newPage();
    const asked = await servePack(probe);
    await probe.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `${LONDON.lat},${LONDON.lng},16` }));
    await expect.poll(() => asked.filter((p) => p.startsWith('tiles/')).length).toBeGreaterThan(1);
    const t = asked.find((p) => p.startsWith('tiles/'))!;
    await probe.close();
    return t;
  })();
  await servePack(page, { [first]: 'late' });
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `${LONDON.lat},${LONDON.lng},16` }));
  await expect.poll(async () => (await onMap(page)).pins).toBeGreaterThan(0);
  await page.waitForTimeout(2500);
  // The pins (elements here: fewer than 100) and the activities of the tiles agree.
  const acts = readdirTiles().flatMap((t) => t.activities as any[]);
  const place = await projector(page);
  const pins = await page.locator('[data-testid=pin]').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { label: e.querySelector('.am-sr')?.textContent ?? '', x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }),
  );
  expect(pins.length).toBeGreaterThan(3);
  // Each activity inside the map has its pin, with its name…
  const box = await page.locator('.leaflet-container').boundingBox();
  const inside = acts
    .filter((a) => a.location?.lat !== undefined)
    .map((a) => ({ a, p: place({ lat: a.location.lat, lng: a.location.lng }) }))
    .filter(({ p }) => p.x > box!.x + 10 && p.x < box!.x + box!.width - 10 && p.y > box!.y + 10 && p.y < box!.y + box!.height - 10);
  expect(inside.length).toBeGreaterThan(3);
  for (const { a, p } of inside) {
    const drawn = pins.some((pin) => pin.label.startsWith(`${a.name}, `) && Math.hypot(p.x - pin.x, p.y - pin.y) < 3);
    expect(drawn, `${a.id} (${a.name}) has no pin at ${Math.round(p.x)},${Math.round(p.y)}`).toBe(true);
  }
  // …and each pin stands where an activity of its name is.
  for (const pin of pins) {
    const near = acts.filter((a) => pin.label.startsWith(`${a.name}, `) && a.location?.lat !== undefined).some((a) => {
      const p = place({ lat: a.location.lat, lng: a.location.lng });
      return Math.hypot(p.x - pin.x, p.y - pin.y) < 3;
    });
    expect(near, `${pin.label} at ${Math.round(pin.x)},${Math.round(pin.y)}`).toBe(true);
  }
});

/** Every tile document of the pack, read. */
function readdirTiles(): any[] {
  const out: any[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(JSON.parse(readFileSync(join(d, e.name), 'utf8')));
    }
  };
  walk(join(dir, 'pack', 'tiles'));
  return out;
}

test('with no connection after one visit, a pack opens from its saved index and the parts last seen, with their date', async ({ page }, info) => {
  // Paths answered as a lost connection answers; everything when `offline`.
  let offline = false;
  const cut = new Set<string>();
  const asked = await servePack(page);
  await page.route(
    (url) => url.pathname.startsWith('/pack/'),
    (route: Route) => {
      const path = new URL(route.request().url()).pathname.slice('/pack/'.length);
      return offline || cut.has(path) ? route.abort('internetdisconnected') : route.fallback();
    },
  );
  const london = appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: `${LONDON.lat},${LONDON.lng},15` });
  await page.goto(london);
  await expect.poll(async () => (await onMap(page)).pins).toBeGreaterThan(0);
  const count = page.getByTestId('result-count');
  await expect(count).not.toHaveText('');
  const listed = await count.textContent();
  const seen = { pins: (await onMap(page)).pins, tiles: asked.filter((p) => p.startsWith('tiles/')) };
  expect(seen.tiles.length).toBeGreaterThan(0);

  // The index is saved with its date, and every file the view fetched is kept.
  const kept = () =>
    page.evaluate(async () => {
      const index = await (await caches.open('activity-map-feeds')).match(new URL('/pack/pack.json', location.href).href);
      const files = await (await caches.open('activity-map-pack-files')).keys();
      return { saved: index?.headers.get('x-activity-map-saved') ?? '', files: files.map((r) => new URL(r.url).pathname) };
    });
  await expect.poll(async () => (await kept()).saved).not.toBe('');
  await expect
    .poll(
      async () => {
        const { files } = await kept();
        return seen.tiles.every((t) => files.includes(`/pack/${t}`));
      },
      { timeout: 10000 },
    )
    .toBe(true);
  const { saved, files } = await kept();
  // Only the pack's own files: never map tiles.
  expect(files.every((f) => f.startsWith('/pack/'))).toBe(true);

  // No connection: the same view comes back from the kept copies, said to be a saved copy.
  offline = true;
  await page.reload();
  const note = page.getByTestId('stale-note');
  await expect(note).toContainText("You're seeing a saved copy");
  await expect(note).toContainText(`${saved.slice(11, 16)} UTC`);
  await expect.poll(async () => (await onMap(page)).pins).toBe(seen.pins);
  await expect(count).toHaveText(listed!);
  await expect(page.getByTestId('pack-missing')).toHaveCount(0);
  await screenshot(page, info, 'pack-offline');

  // A place never seen: its parts are said to be missing, and drawn from the index's counts.
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', map: '54.9783,-1.6178,15' }));
  await expect(note).toContainText("You're seeing a saved copy");
  await expect(page.getByTestId('pack-missing')).toHaveText(/could not be loaded/);
  await expect.poll(async () => (await onMap(page)).clusters).toBeGreaterThan(0);
  expect((await onMap(page)).pins).toBe(0);

  // Back online, a fresh index never mixes in a kept file (the host may have a new pack):
  // a tile whose download fails is missing, kept or not.
  offline = false;
  cut.add(seen.tiles[0]);
  await page.goto(london);
  await expect(page.getByTestId('pack-missing')).toHaveText(/^1 part of the map could not be loaded/);
  await expect(note).toHaveCount(0);
});

test('with a choice other than a category on, the list says the clusters still count every activity of the kinds chosen', async ({ page }, info) => {
  await servePack(page);
  const note = page.getByTestId('pack-counts-all');
  // Categories alone: the clusters count just what is chosen, so nothing to say.
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', cat: 'green' }));
  await expect(page.locator('[data-testid=cluster]').first()).toBeVisible();
  await expect(page.getByTestId('pack-note')).toBeVisible();
  await expect(note).toHaveCount(0);
  // Free too (from a link): the clusters cannot count that, and the list says so in words.
  await page.goto(appUrl({ feed: '/pack/pack.json', geocoder: 'off', cat: 'green', free: '1' }));
  await expect(page.locator('[data-testid=cluster]').first()).toBeVisible();
  await expect(note).toHaveText(/count all the activities of the kinds chosen/);
  await note.scrollIntoViewIfNeeded();
  await screenshot(page, info, 'pack-counts-all');
  // Taken off again (under "More filters"): the note goes.
  const more = page.getByTestId('filters-toggle');
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  await page.getByTestId('filter-free').click();
  await expect(page.locator('#am-f-free')).not.toBeChecked();
  await expect(note).toHaveCount(0);
});
