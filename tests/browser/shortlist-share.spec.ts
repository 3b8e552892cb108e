import { test, expect, Page, Locator } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { appUrl, openApp, sampleFeed } from './helpers';

// Sharing an activity and a shortlist: the phone's share sheet (navigator.share, stubbed
// here), "Email this list" (a mailto: link), and the shortlist's QR code, in the dialog and
// on the printed page, whose code is a wasm part downloaded only when shown or printed.

const feed = sampleFeed() as { feed: { name: string }; activities: any[] };

type ShareCall = { title: string; text: string; url: string };

/** Give the page a share sheet that records what it is asked to share and answers as
 * `window.__shareAnswer` says: 'ok', 'cancel' (AbortError) or 'fail' (NotAllowedError). */
async function stubShare(page: Page) {
  await page.addInitScript(() => {
    const w = window as any;
    w.__shared = [];
    w.__shareAnswer = 'ok';
    (navigator as any).share = (data: ShareCall) => {
      w.__shared.push({ title: data.title, text: data.text, url: data.url });
      if (w.__shareAnswer === 'cancel') return Promise.reject(new DOMException('Share canceled', 'AbortError'));
      if (w.__shareAnswer === 'fail') return Promise.reject(new DOMException('Not allowed', 'NotAllowedError'));
      return Promise.resolve();
    };
  });
}

/** No share sheet at all, whatever the browser has. */
async function noShare(page: Page) {
  await page.addInitScript(() => {
    delete (Navigator.prototype as any).share;
    delete (navigator as any).share;
  });
}

const shared = (page: Page) => page.evaluate(() => (window as any).__shared as ShareCall[]);


/** Star the sample feed's activities at these places in the list and open the shortlist. */
async function shortlistOf(page: Page, picks: number[]) {
  const ids = picks.map((i) => feed.activities[i].id).join(',');
  await page.goto(appUrl({ list: ids, show: 'shortlist' }));
  await expect(page.getByTestId('shortlist').getByTestId('shortlist-item')).toHaveCount(picks.length);
}

/** Decode the QR code drawn in `svg` (an SVG element): drawn on a canvas in the page,
 * then read with jsQR. */
async function decodeQr(page: Page, svg: Locator): Promise<string | null> {
  await page.addScriptTag({ path: 'node_modules/jsqr/dist/jsQR.js' });
  return svg.evaluate(async (el) => {
    const size = 600;
    const copy = el.cloneNode(true) as SVGElement;
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    copy.setAttribute('width', String(size));
    copy.setAttribute('height', String(size));
    const img = new Image();
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(new XMLSerializer().serializeToString(copy));
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0, size, size);
    const pixels = ctx.getImageData(0, 0, size, size);
    // @ts-ignore jsQR is injected above
    const code = jsQR(pixels.data, size, size);
    return code ? (code.data as string) : null;
  });
}

/** The decoded subject and body of a mailto: link. */
function mailto(href: string): { subject: string; body: string } {
  expect(href.startsWith('mailto:?')).toBe(true);
  const fields = Object.fromEntries(
    href
      .slice('mailto:?'.length)
      .split('&')
      .map((kv) => kv.split('=').map(decodeURIComponent)),
  );
  return { subject: fields.subject, body: fields.body };
}

test.describe('the share sheet', () => {
  test('an activity is shared with its name, when, where and link', async ({ page }) => {
    await stubShare(page);
    await openApp(page);
    const a = feed.activities.find((x) => x.category === 'parkrun')!;
    await page.getByTestId('result-item').filter({ hasText: a.name }).first().click();
    const d = page.getByTestId('details');
    await expect(d.getByTestId('share')).toHaveText('Share');
    await d.getByTestId('share').click();
    await expect.poll(() => shared(page)).toHaveLength(1);
    const [call] = await shared(page);
    expect(call.title).toBe(a.name);
    // The facts list When, then Where.
    const where = (await d.locator('dd').nth(1).locator('.am-fact-line').first().textContent())!;
    expect(call.text).toBe(`${a.name}\nSaturdays 9:00–10:00\n${where}`);
    const url = new URL(call.url);
    expect(url.searchParams.get('sel')).toBe(a.id);
    // Shared without a word on the page.
    await expect(page.getByTestId('action-status')).toHaveText('');

    // The link opens the same activity.
    const other = await page.context().newPage();
    await other.goto(call.url);
    await expect(other.getByTestId('details').getByRole('heading', { name: a.name })).toBeVisible();
  });

  test('a cancelled share says nothing; a failed one copies the link instead', async ({ browser }, info) => {
    const context = await browser.newContext({ ...info.project.use, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await stubShare(page);
    await openApp(page);
    await page.getByTestId('result-item').first().click();
    const status = page.getByTestId('action-status');

    await page.evaluate(() => ((window as any).__shareAnswer = 'cancel'));
    await page.getByTestId('share').click();
    await expect.poll(() => shared(page)).toHaveLength(1);
    await page.waitForTimeout(300);
    await expect(status).toHaveText('');

    await page.evaluate(() => ((window as any).__shareAnswer = 'fail'));
    await page.getByTestId('share').click();
    await expect(status).toContainText('Link copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe((await shared(page))[1].url);
    await context.close();
  });

  test('the shortlist is shared as "N activities from" the feed, with its link', async ({ page }) => {
    await stubShare(page);
    await shortlistOf(page, [0, 2]);
    const dialog = page.getByTestId('shortlist');
    await expect(dialog.getByTestId('share-shortlist')).toHaveText('Share');
    await dialog.getByTestId('share-shortlist').click();
    await expect.poll(() => shared(page)).toHaveLength(1);
    const [call] = await shared(page);
    expect(call.title).toBe('Activities for you');
    expect(call.text).toBe(`2 activities from ${feed.feed.name}`);
    const url = new URL(call.url);
    expect(url.searchParams.get('list')).toBe(`${feed.activities[0].id},${feed.activities[2].id}`);
    expect(url.searchParams.get('show')).toBe('shortlist');

    const other = await (await page.context().browser()!.newContext()).newPage();
    await other.goto(call.url);
    await expect(other.getByTestId('shortlist').getByTestId('shortlist-item')).toHaveCount(2);
    await other.context().close();
  });

  test('without a share sheet both buttons copy the link, as before', async ({ page }) => {
    await noShare(page);
    await shortlistOf(page, [0, 2]);
    await expect(page.getByTestId('share-shortlist')).toHaveText('Copy link');
    await page.getByTestId('close-shortlist').click();
    await page.getByTestId('result-item').first().click();
    await expect(page.getByTestId('details').getByTestId('share')).toHaveText('Copy link');
  });
});

test.describe('email this list', () => {
  test('the email lists each activity by name, when, where and link, then the whole list', async ({ page }) => {
    const picks = [0, 2, 7];
    await shortlistOf(page, picks);
    const dialog = page.getByTestId('shortlist');
    const { subject, body } = mailto((await dialog.getByTestId('email-shortlist').getAttribute('href'))!);
    expect(subject).toBe(`3 activities from ${feed.feed.name}`);
    const items = dialog.getByTestId('shortlist-item');
    let before = -1;
    for (let i = 0; i < picks.length; i++) {
      const a = feed.activities[picks[i]];
      const [when, where] = await items.nth(i).locator('.am-fact-line').allTextContents();
      const entry = `${i + 1}. ${a.name}\r\nWhen: ${when}\r\nWhere: ${where}\r\nLink: `;
      const at = body.indexOf(entry);
      expect(at, `${a.name} in\n${body}`).toBeGreaterThan(before);
      before = at;
      const link = new URL(body.slice(at + entry.length).split('\r\n')[0]);
      expect(link.searchParams.get('sel')).toBe(a.id);
    }
    const whole = body.match(/The whole list: (\S+)/)![1];
    expect(body.indexOf('The whole list:')).toBeGreaterThan(before);
    expect(new URL(whole).searchParams.get('list')).toBe(picks.map((i) => feed.activities[i].id).join(','));
    expect(new URL(whole).searchParams.get('show')).toBe('shortlist');

    // One activity's link opens it.
    const second = new URL(body.match(/^2\. .*\r\nWhen: .*\r\nWhere: .*\r\nLink: (\S+)/m)![1]);
    const other = await page.context().newPage();
    await other.goto(second.toString());
    await expect(other.getByTestId('details').getByRole('heading', { name: feed.activities[2].name })).toBeVisible();
  });

  test('a long shortlist stays under 1,800 characters and says how many more', async ({ page }) => {
    const picks = Array.from({ length: 30 }, (_, i) => i);
    await shortlistOf(page, picks);
    const href = (await page.getByTestId('email-shortlist').getAttribute('href'))!;
    expect(href.length).toBeLessThanOrEqual(1800);
    const { subject, body } = mailto(href);
    expect(subject).toBe(`30 activities from ${feed.feed.name}`);
    const shown = body.match(/\r\nWhen: /g)?.length ?? 0;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(30);
    const more = body.match(/\.\.\.and (\d+) more — open the list: (\S+)/)!;
    expect(Number(more[1])).toBe(30 - shown);
    expect(new URL(more[2]).searchParams.get('list')!.split(',')).toHaveLength(30);
  });
});

test.describe('QR code', () => {
  test('"Show QR code" shows the code, and the code opens the shortlist', async ({ page }) => {
    await stubShare(page);
    await shortlistOf(page, [0, 2]);

    const dialog = page.getByTestId('shortlist');
    await dialog.getByTestId('show-qr').click();
    await expect(dialog.getByTestId('show-qr')).toHaveAttribute('aria-expanded', 'true');
    const svg = dialog.getByTestId('qr-code');
    await expect(svg).toBeVisible();
    await expect(dialog.getByTestId('shortlist-qr')).toContainText('Scan to open this list on your phone');

    await dialog.getByTestId('share-shortlist').click();
    await expect.poll(() => shared(page)).toHaveLength(1);
    const link = (await shared(page))[0].url;
    expect(await decodeQr(page, svg)).toBe(link);

    mkdirSync('target/screenshots', { recursive: true });
    await page.screenshot({ path: `target/screenshots/${test.info().project.name}-shortlist-qr.png` });
    await dialog.getByTestId('show-qr').click();
    await expect(svg).toHaveCount(0);
  });

  test('the printed shortlist carries the QR code', async ({ page }) => {
    await page.addInitScript(() => {
      (window as any).__printed = 0;
      window.print = () => void (window as any).__printed++;
    });
    await stubShare(page);
    await shortlistOf(page, [0, 2, 5]);
    await page.getByTestId('share-shortlist').click();
    await expect.poll(() => shared(page)).toHaveLength(1);
    const link = (await shared(page))[0].url;

    await page.getByTestId('print-shortlist').click();
    await expect.poll(() => page.evaluate(() => (window as any).__printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    const printed = page.getByTestId('print-view');
    await expect(printed).toBeVisible();
    await expect(printed.getByTestId('print-qr')).toContainText('Scan to open this list on your phone');
    const svg = printed.getByTestId('qr-code');
    await expect(svg).toBeVisible();
    expect(await decodeQr(page, svg)).toBe(link);
    mkdirSync('target/screenshots', { recursive: true });
    await page.screenshot({ path: `target/screenshots/${test.info().project.name}-print-qr.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });
});
