import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { axeCheck, openApp, pageNearYarmouth, sampleFeed, screenshot } from './helpers';

// An activity's details: its next session in Google Calendar and Outlook (UTC times across
// UK summer time), the .ics download, the way there, how fresh the listing is, and
// reporting a problem to the feed's publisher. The feed is tests/fixtures/app/details.json.

const FEED = '/fixtures/app/details.json';
const fixture = JSON.parse(readFileSync('tests/fixtures/app/details.json', 'utf8'));
const summer = fixture.activities[0]; // 3 July 2027, 19:00–20:30 (BST); checked 3 months ago
const winter = fixture.activities[1]; // 16 January 2027, 10:00–11:00 (GMT); checked over a year ago

// The person's own date and zone: Wednesday 2 December 2026 in the UK.
test.use({ timezoneId: 'Europe/London' });
test.beforeEach(async ({ page }) => {
  await page.clock.setFixedTime(new Date('2026-12-02T12:00:00Z'));
});

async function openDetails(page: Page, name: string, feed = FEED) {
  await openApp(page, { feed });
  await page.getByTestId('result-item').filter({ hasText: name }).click();
  const d = page.getByTestId('details');
  await expect(d.getByRole('heading', { name })).toBeVisible();
  return d;
}

/** The query parameters of a link's href. */
async function params(link: ReturnType<Page['locator']>): Promise<URLSearchParams> {
  return new URL((await link.getAttribute('href'))!).searchParams;
}

test('Google Calendar and Outlook links carry the next session in UTC, in summer time and in winter', async ({ page }) => {
  let d = await openDetails(page, summer.name);
  await expect(d.getByTestId('google-calendar')).toHaveAttribute('href', /^https:\/\/calendar\.google\.com\/calendar\/render\?action=TEMPLATE&/);
  await expect(d.getByTestId('outlook-calendar')).toHaveAttribute('href', /^https:\/\/outlook\.live\.com\/calendar\/0\/deeplink\/compose\?/);
  for (const id of ['google-calendar', 'outlook-calendar']) {
    await expect(d.getByTestId(id)).toHaveAttribute('target', '_blank');
    await expect(d.getByTestId(id)).toHaveAttribute('rel', /noopener/);
  }
  // 19:00–20:30 in British Summer Time is 18:00–19:30 UTC.
  const google = await params(d.getByTestId('google-calendar'));
  expect(google.get('dates')).toBe('20270703T180000Z/20270703T193000Z');
  // The name's &, # and accents arrive whole.
  expect(google.get('text')).toBe(summer.name);
  expect(google.get('location')).toBe('Eaton Park, NR4 7AU');
  expect(google.get('details')).toContain('A gentle walk & a cuppa. Bring boots #muddy.');
  const outlook = await params(d.getByTestId('outlook-calendar'));
  expect(outlook.get('startdt')).toBe('2027-07-03T18:00:00Z');
  expect(outlook.get('enddt')).toBe('2027-07-03T19:30:00Z');
  expect(outlook.get('subject')).toBe(summer.name);
  // The next session in words, beside the links.
  await expect(d.getByRole('group', { name: /Next session: Sat 3 Jul 2027, 19:00/ })).toBeVisible();

  // In winter (GMT) UTC is the local time.
  await page.getByTestId('close-details').click();
  d = await openDetails(page, winter.name);
  expect((await params(d.getByTestId('google-calendar'))).get('dates')).toBe('20270116T100000Z/20270116T110000Z');
  const o = await params(d.getByTestId('outlook-calendar'));
  expect([o.get('startdt'), o.get('enddt')]).toEqual(['2027-01-16T10:00:00Z', '2027-01-16T11:00:00Z']);
});

test('the .ics download keeps its file available after the download has started', async ({ page }) => {
  // Firefox and Safari read the file through its object URL after the click: it must
  // not be revoked at once.
  await page.addInitScript(() => {
    const made: string[] = [];
    const revoked: string[] = [];
    const create = URL.createObjectURL.bind(URL);
    const revoke = URL.revokeObjectURL.bind(URL);
    URL.createObjectURL = (b: Blob | MediaSource) => {
      const u = create(b);
      made.push(u);
      return u;
    };
    URL.revokeObjectURL = (u: string) => {
      revoked.push(u);
      revoke(u);
    };
    (window as any).__objectUrls = { made, revoked };
  });
  const d = await openDetails(page, summer.name);
  const download = page.waitForEvent('download');
  await d.getByTestId('add-to-calendar').click();
  expect((await download).suggestedFilename()).toMatch(/\.ics$/);
  await expect(page.getByTestId('action-status')).toContainText('Calendar file downloaded');
  const urls = await page.evaluate(() => (window as any).__objectUrls);
  expect(urls.made.length).toBe(1);
  expect(urls.revoked).toEqual([]);
  const text = await page.evaluate((u) => fetch(u).then((r) => r.text()), urls.made[0]);
  expect(text).toContain('DTSTART;TZID=Europe/London:20270703T190000');
});

test('getting there: walking directions and a public transport journey planner to the activity', async ({ page }) => {
  const d = await openDetails(page, summer.name);
  const walking = d.getByRole('link', { name: 'Walking directions' });
  await expect(walking).toHaveAttribute('href', /^https:\/\/www\.openstreetmap\.org\/directions\?.*to=52\.62154%2C1\.25561/);
  const transit = d.getByRole('link', { name: 'Directions by bus or train' });
  for (const link of [walking, transit]) {
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', /noopener/);
  }
  const href = new URL((await transit.getAttribute('href'))!);
  expect(href.origin + href.pathname).toBe('https://www.google.com/maps/dir/');
  expect(href.searchParams.get('travelmode')).toBe('transit');
  const [lat, lng] = href.searchParams.get('destination')!.split(',').map(Number);
  expect(lat).toBeCloseTo(summer.location.lat, 5);
  expect(lng).toBeCloseTo(summer.location.lng, 5);
});

test('each listing says when it was checked; one checked over a year ago says to check first', async ({ page }, info) => {
  let d = await openDetails(page, summer.name);
  await expect(d.getByTestId('checked')).toHaveText('Listing checked 3 months ago (Wed 2 Sep 2026).');
  await expect(d.getByTestId('stale-note')).toHaveCount(0);
  await page.getByTestId('close-details').click();
  d = await openDetails(page, winter.name);
  await expect(d.getByTestId('checked')).toHaveText('Listing checked 1 year ago (Sun 1 Jun 2025).');
  await expect(d.getByTestId('stale-note')).toHaveText(
    'This listing was last checked over a year ago — check with the organiser before you go.',
  );
  await axeCheck(page, 'details of a stale listing');
  await screenshot(page, info, 'details-stale');
});

test('report a problem: an email to the feed contact with the listing named; hidden without a contact', async ({ page }) => {
  const d = await openDetails(page, summer.name);
  const report = d.getByRole('link', { name: 'Report a problem with this listing' });
  const href = (await report.getAttribute('href'))!;
  expect(href.startsWith('mailto:listings@example.org?')).toBe(true);
  const q = new URLSearchParams(href.slice(href.indexOf('?') + 1));
  expect(q.get('subject')).toBe(`Problem with a listing: ${summer.name} (${summer.id})`);
  const body = q.get('body')!;
  expect(body).toContain(`Listing: ${summer.name}\r\nId: ${summer.id}\r\n`);
  expect(body).toMatch(/Link: http:\/\/127\.0\.0\.1:\d+\/.*sel=summer-talk/);

  await page.goto('about:blank');
  const quiet = await openDetails(page, 'Quiet garden morning', '/fixtures/app/details-no-contact.json');
  await expect(quiet.getByTestId('google-calendar')).toBeVisible();
  await expect(quiet.getByTestId('report-problem')).toHaveCount(0);
  await expect(quiet.getByTestId('checked')).toHaveCount(0);
});

test.describe('distance and walking time in the list', () => {
  const feed = sampleFeed() as { activities: any[] };
  const row = /^(\d+(?:\.\d)?) (miles?|km) · about (?:(\d+) hr ?)?(?:(\d+) min)? walk$/;

  /** Minutes in a row's "about … walk", checked against the distance it shows (5 km/h). */
  function checkWalk(text: string, kmPerUnit: number) {
    const m = text.match(row);
    expect(m, text).not.toBeNull();
    const km = parseFloat(m![1]) * kmPerUnit;
    const minutes = parseInt(m![3] ?? '0', 10) * 60 + parseInt(m![4] ?? '0', 10);
    // The distance shown is rounded to 0.1, the time to 5 minutes.
    expect(Math.abs(minutes - km * 12), text).toBeLessThanOrEqual(4);
  }

  test('near me, in miles', async ({ browser }, info) => {
    const page = await pageNearYarmouth(browser, info);
    await openApp(page);
    await expect(page.getByTestId('distance')).toHaveCount(0);
    await page.getByTestId('near-me').click();
    await expect(page.getByTestId('origin')).toContainText('your location');
    const first = page.getByTestId('distance').first();
    await expect(first).toHaveText(/miles? · about/);
    checkWalk((await first.textContent())!, 1.609344);
    await screenshot(page, info, 'list-walking');
    await page.context().close();
  });

  test('from a place in the link, in kilometres; too far to walk is only a distance', async ({ page }) => {
    await openApp(page, { at: '52.6071,1.7305', place: 'Great Yarmouth', r: '5km' });
    const first = page.getByTestId('distance').first();
    await expect(first).toHaveText(/ km · about /);
    checkWalk((await first.textContent())!, 1);
    // Every activity with a place, any distance: past 10 km there is no walking time.
    await page.getByTestId('radius').selectOption('any');
    const distances = page.getByTestId('distance');
    await expect(distances).toHaveCount(feed.activities.filter((a) => a.location?.lat !== undefined).length);
    await expect(distances.last()).toHaveText(/^\d+ km away$/);
  });
});
