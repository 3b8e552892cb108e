// The benchmark's Lighthouse part: each page loaded the way a person meets it on a phone,
// measured by Lighthouse (npm `lighthouse`, pinned in bench/package.json) and reported in
// its own section of BENCHMARKS.md. bench/run.mjs runs it after its own runs (or alone,
// with --lighthouse-only) and hands it a server that sends files gzipped, as every host does.
//
// One run: a new Chromium (chrome-launcher on /usr/bin/chromium, headless), Lighthouse's
// performance category, mobile form factor (its Moto G Power screen and user agent) and
// `devtools` throttling: the 4× CPU slowdown and the slow-4G connection (562.5 ms request
// latency, 1474.56 Kbps down) are applied to the page for real rather than simulated from
// a fast load, because a simulation cannot know how long a wasm module takes to compile
// and run. Lighthouse clears the cache and storage before it loads the page.
//
// From each run: the performance score, FCP, LCP, TBT, the bytes of the whole load, the
// app's own code fetched before the first pins, and the time to first pins (the page's
// first `am-drawn` mark, from Lighthouse's user-timings audit; the anchors set the same mark).

import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// The feeds: the sample the app opens with, and one about the size of parkrun's event list.
export const LH_FEEDS = [
  { key: 'sample', label: 'Sample feed', path: '/sample-feed.json' },
  { key: 'feed-3000', label: '3k activities (parkrun-sized)', path: '/bench/feeds/feed-3000.json' },
];

// What each map tile weighs in this part: an OpenStreetMap tile of land is mostly 5-40 KB
// (tests/tools/serve.mjs --tile-bytes pads a tile with noise that does not compress).
export const TILE_BYTES = 15 * 1024;

// The page addresses, with local tiles. Ours opens the sample when given no feed,
// as a visitor's first look at the app does.
export function lighthouseUrl(page, feed, tiles) {
  if (page === 'ours') {
    const feedParam = feed.key === 'sample' ? '' : `feed=${feed.path}&`;
    return `/index.html?${feedParam}tiles=${tiles}&geocoder=off`;
  }
  return `/bench/anchors/${page}.html?feed=${feed.path}&tiles=${tiles}`;
}

// Ours opened a second time, with what the first visit left (see `lighthouseOnce`).
const NEXT_VISIT = 'ours-next-visit';

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

// One Lighthouse run of one address. `isAppCode(pathname)` says which responses are the
// page's own code (JS, wasm, CSS; not Leaflet, the feed or tiles).
//
// `nextVisit`: the same address opened a second time in the same browser, with what the
// first visit left (the service worker, its caches, the saved feed, the HTTP cache):
// Lighthouse's storage reset is turned off for both loads, and the first is not measured.
export async function lighthouseOnce({ url, chromiumPath, chromiumArgs, isAppCode, nextVisit = false }) {
  const t0 = Date.now();
  const r = {};
  let chrome;
  try {
    chrome = await chromeLauncher.launch({
      chromePath: chromiumPath,
      chromeFlags: [...chromiumArgs, '--headless=new'],
      logLevel: 'silent',
    });
    const settings = {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance'],
      formFactor: 'mobile',
      throttlingMethod: 'devtools',
      disableStorageReset: nextVisit,
    };
    if (nextVisit) {
      await lighthouse(url, settings);
      // The worker installs once the first visit has read its feed: give it time to
      // finish keeping the app's files before the second visit.
      await new Promise((resolve) => setTimeout(resolve, 8000));
    }
    const result = await lighthouse(url, settings);
    const lhr = result.lhr;
    const audit = (id) => lhr.audits[id] ?? {};
    const value = (id) => (typeof audit(id).numericValue === 'number' ? audit(id).numericValue : null);
    r.lighthouse = lhr.lighthouseVersion;
    r.userAgent = lhr.environment?.hostUserAgent ?? null;
    r.benchmarkIndex = lhr.environment?.benchmarkIndex ?? null;
    r.throttling = lhr.configSettings?.throttling ?? null;
    r.screen = lhr.configSettings?.screenEmulation ?? null;
    r.runtimeError = lhr.runtimeError?.code ?? null;
    r.warnings = (lhr.runWarnings ?? []).map(String);
    const score = lhr.categories.performance?.score;
    r.score = typeof score === 'number' ? score * 100 : null;
    r.fcp = value('first-contentful-paint');
    r.lcp = value('largest-contentful-paint');
    r.tbt = value('total-blocking-time');
    r.totalBytes = value('total-byte-weight');
    // What Lighthouse took as the largest paint: the element and when it was painted.
    const lcpNode = audit('largest-contentful-paint-element').details?.items?.[0]?.items?.[0]?.node;
    r.lcpElement = lcpNode ? `${lcpNode.nodeLabel ?? ''} (${lcpNode.selector ?? lcpNode.snippet ?? '?'})`.trim() : null;
    const marks = (audit('user-timings').details?.items ?? []).filter((m) => m.timingType === 'Mark');
    const drawn = marks.filter((m) => m.name === 'am-drawn').map((m) => m.startTime);
    r.firstPins = drawn.length ? Math.min(...drawn) : null;
    r.marks = marks.map((m) => [m.name, Math.round(m.startTime)]);
    // The page's own code, from Lighthouse's network records. Their times count from the
    // first request, which starts a few milliseconds after navigation start.
    const requests = audit('network-requests').details?.items ?? [];
    const code = requests.filter((q) => {
      try {
        return isAppCode(new URL(q.url).pathname) && q.finished !== false;
      } catch {
        return false;
      }
    });
    const before = r.firstPins === null ? [] : code.filter((q) => q.networkEndTime <= r.firstPins);
    const files = (list) => list.map((q) => [new URL(q.url).pathname, q.transferSize ?? 0]);
    r.appFiles = files(code);
    r.appBytes = code.reduce((n, q) => n + (q.transferSize ?? 0), 0);
    r.appBytesBeforePins = r.firstPins === null ? null : before.reduce((n, q) => n + (q.transferSize ?? 0), 0);
    r.requests = requests.length;
  } catch (e) {
    r.failed = String(e && e.message ? e.message.split('\n')[0] : e);
  } finally {
    if (chrome) await Promise.resolve(chrome.kill()).catch(() => {});
    r.seconds = (Date.now() - t0) / 1000;
  }
  return r;
}

// All runs: for each feed, `runs` rounds with the pages interleaved; returns the raw
// record { meta, results } the report is written from. `hooks.beforeRun()` returns the
// machine's busy share before the run, `hooks.watch()` starts watching other processes
// and returns a function giving their share of the cores while the run went on.
// `fileOf(urlPath)` is the served file of an address.
export async function lighthouseAll({ base, pages, runs, tiles, tileBytes, chromiumPath, chromiumArgs, isAppCode, fileOf, commit, hooks, log }) {
  const started = Date.now();
  const results = [];
  const total = LH_FEEDS.length * runs * pages.length;
  let n = 0;
  for (const feed of LH_FEEDS) {
    for (let run = 1; run <= runs; run++) {
      for (const page of pages) {
        n++;
        const busy = await hooks.beforeRun();
        const stop = hooks.watch();
        const r = await lighthouseOnce({ url: base + lighthouseUrl(page, feed, tiles), chromiumPath, chromiumArgs, isAppCode });
        Object.assign(r, { page, feed: feed.key, run, busyBefore: busy, othersDuring: stop() });
        results.push(r);
        if (page === 'ours') {
          const stopNext = hooks.watch();
          const next = await lighthouseOnce({ url: base + lighthouseUrl(page, feed, tiles), chromiumPath, chromiumArgs, isAppCode, nextVisit: true });
          Object.assign(next, { page: NEXT_VISIT, feed: feed.key, run, busyBefore: busy, othersDuring: stopNext() });
          results.push(next);
          log(`[lighthouse] ${feed.key} ours, next visit, run ${run}/${runs}: ${next.failed ? `FAILED: ${next.failed}` : `first pins ${Math.round(next.firstPins ?? NaN)} ms, LCP ${Math.round(next.lcp ?? NaN)} ms, bytes ${((next.totalBytes ?? 0) / 1024).toFixed(1)} KB`}`);
        }
        const kb = (b) => (typeof b === 'number' ? `${(b / 1024).toFixed(1)} KB` : '—');
        const ms = (v) => (typeof v === 'number' ? `${Math.round(v)} ms` : '—');
        const show = r.failed
          ? `FAILED: ${r.failed}`
          : `score ${r.score ?? '—'}, FCP ${ms(r.fcp)}, LCP ${ms(r.lcp)}, TBT ${ms(r.tbt)}, first pins ${ms(r.firstPins)}, ` +
            `bytes ${kb(r.totalBytes)}, app code before first pins ${kb(r.appBytesBeforePins)}` +
            (r.runtimeError ? `, runtime error ${r.runtimeError}` : '');
        log(`[lighthouse ${n}/${total}] ${feed.key} ${page} run ${run}/${runs} (${r.seconds.toFixed(0)} s; other work ${(r.othersDuring * 100).toFixed(0)} % during): ${show}`);
      }
    }
  }
  const done = results.filter((r) => !r.failed);
  const first = done[0] ?? {};
  const others = results.map((r) => r.othersDuring).filter((v) => typeof v === 'number');
  const meta = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    commit,
    pages,
    runs,
    lighthouse: first.lighthouse ?? '?',
    userAgent: first.userAgent ?? null,
    chromium: chromiumPath,
    throttling: first.throttling ?? null,
    screen: first.screen ?? null,
    benchmarkIndex: median(done.map((r) => r.benchmarkIndex)),
    othersMedian: median(others),
    othersMax: Math.max(0, ...others),
    minutes: ((Date.now() - started) / 60000).toFixed(1),
    feeds: describeFeeds(fileOf),
    tileBytes,
  };
  return { meta, results };
}

// What each feed is, for the report: activities, bytes, bytes gzipped as served.
export function describeFeeds(fileOf) {
  return Object.fromEntries(
    LH_FEEDS.map((feed) => {
      try {
        const raw = readFileSync(fileOf(feed.path));
        const activities = JSON.parse(raw.toString('utf8')).activities?.length ?? null;
        return [feed.key, { activities, bytes: raw.length, gzip: gzipSync(raw, { level: 6 }).length }];
      } catch {
        return [feed.key, null];
      }
    }),
  );
}

// ---------------------------------------------------------------- the report

const METRICS = [
  { key: 'score', label: 'Performance score', unit: 'score', higherIsBetter: true },
  { key: 'fcp', label: 'First Contentful Paint', unit: 'ms' },
  { key: 'lcp', label: 'Largest Contentful Paint', unit: 'ms' },
  { key: 'tbt', label: 'Total Blocking Time', unit: 'ms' },
  { key: 'firstPins', label: 'Time to first pins (`am-drawn`)', unit: 'ms' },
  { key: 'totalBytes', label: 'Bytes transferred, whole load', unit: 'KB' },
  { key: 'appBytesBeforePins', label: 'App code before first pins (JS + wasm + CSS, no Leaflet), as transferred', unit: 'KB' },
];

function fmt(v, unit) {
  if (v === null || v === undefined) return '—';
  if (unit === 'score') return String(Math.round(v));
  if (unit === 'KB') return `${(v / 1024).toFixed(1)} KB`;
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  return `${Math.round(v)} ms`;
}

// The issue's targets; each gives [target text, met?] or null where none applies.
function target(key, ours, ratio) {
  const yes = (ok) => (ok === null ? 'no data' : ok ? 'yes' : '**MISSED**');
  const has = typeof ours === 'number';
  switch (key) {
    case 'score':
      return ['≥ 95', yes(has ? ours >= 95 : null)];
    case 'lcp':
      return ['≤ 1.0× best anchor and ≤ 2.5 s', yes(has ? ours <= 2500 && (ratio === null || ratio <= 1.0) : null)];
    case 'tbt':
      return ['≤ 100 ms', yes(has ? ours <= 100 : null)];
    case 'firstPins':
      return ['≤ 1.0× best anchor', yes(has && ratio !== null ? ratio <= 1.0 : has ? true : null)];
    case 'appBytesBeforePins':
      return ['≤ 150 KB', yes(has ? ours <= 150 * 1024 : null)];
    default:
      return null;
  }
}

export function summariseLighthouse(results, pages) {
  const out = {};
  for (const feed of LH_FEEDS) {
    out[feed.key] = {};
    for (const page of pages) {
      const runs = results.filter((r) => r.feed === feed.key && r.page === page);
      const ok = runs.filter((r) => !r.failed);
      const cell = { runs: runs.length, ok: ok.length, notes: [] };
      for (const m of METRICS) cell[m.key] = median(ok.map((r) => r[m.key]));
      const failed = runs.find((r) => r.failed);
      if (failed) cell.notes.push(`${runs.length - ok.length} run(s) failed (${failed.failed})`);
      const errors = [...new Set(ok.map((r) => r.runtimeError).filter(Boolean))];
      if (errors.length) cell.notes.push(`Lighthouse runtime error ${errors.join(', ')}`);
      const noPins = ok.filter((r) => r.firstPins === null).length;
      if (noPins) cell.notes.push(`${noPins} run(s) with no \`am-drawn\` mark in the trace`);
      const shared = ok.filter((r) => r.othersDuring > 0.1).length;
      if (shared) cell.notes.push(`${shared} run(s) shared the machine (other work over 10 % of the cores)`);
      cell.appFiles = ok.length ? ok[ok.length - 1].appFiles : [];
      cell.lcpElements = [...new Set(ok.map((r) => r.lcpElement).filter(Boolean))];
      out[feed.key][page] = cell;
    }
  }
  return out;
}

// The Lighthouse section of BENCHMARKS.md, from the raw record { meta, results }.
export function lighthouseReport({ meta, results }) {
  const pages = meta.pages;
  const anchors = pages.filter((p) => p !== 'ours');
  const summary = summariseLighthouse(results, pages);
  const t = meta.throttling ?? {};
  const s = meta.screen ?? {};
  const L = [];
  L.push('## Lighthouse: a phone as people meet it');
  L.push('');
  L.push(
    `Lighthouse ${meta.lighthouse} (npm, \`bench/lighthouse.mjs\`), performance category, mobile form factor ` +
      `(a ${s.width}×${s.height} screen at ${s.deviceScaleFactor}×), \`devtools\` throttling: applied to the page for real, not simulated — ` +
      `CPU ${t.cpuSlowdownMultiplier}× slower, ${t.requestLatencyMs} ms request latency, ${Number(t.downloadThroughputKbps).toFixed(1)} Kbps down, ` +
      `${Number(t.uploadThroughputKbps).toFixed(1)} Kbps up (Lighthouse's slow 4G). Files are served gzipped (zlib level 6, \`tests/tools/serve.mjs --gzip\`), ` +
      `from 127.0.0.1, with local tiles from a second local server (another origin, as OpenStreetMap's tiles are: tiles from the page's own HTTP/1.1 origin would wait for its six connections), each weighing ${meta.tileBytes ? (meta.tileBytes / 1024).toFixed(0) : 'under 1'} KB and incompressible, as an OpenStreetMap tile of land weighs (mostly 5–40 KB): a map's tiles share the phone's connection with the page's code and feed. (Until 2026-12-03 they were blank tiles under 1 KB, which hid that.) A new Chromium per run; Lighthouse clears the cache and storage first.`,
  );
  L.push('');
  L.push(`- Date: ${meta.date}; app commit ${meta.commit}`);
  L.push(`- Browser: ${meta.userAgent ?? '?'} (${meta.chromium}, headless)`);
  L.push(
    `- Runs: median of ${meta.runs} per page and feed (pages interleaved run by run), each metric's median taken on its own; ` +
      `Lighthouse's CPU benchmark index ${meta.benchmarkIndex !== null ? Math.round(meta.benchmarkIndex) : '?'} (median). ` +
      `Other processes' CPU use during each run: median ${Math.round((meta.othersMedian ?? 0) * 100)} %, max ${Math.round((meta.othersMax ?? 0) * 100)} %. ` +
      `Whole Lighthouse part: ${meta.minutes} minutes.`,
  );
  const feedText = (key) => {
    const f = meta.feeds?.[key];
    const size = (b) => (b >= 1048576 ? `${(b / 1048576).toFixed(1)} MB` : `${(b / 1024).toFixed(1)} KB`);
    return f ? `${f.activities} activities, ${size(f.bytes)}, ${size(f.gzip)} gzipped` : '?';
  };
  L.push(`- Feeds: the sample the app opens with (\`assets/sample-feed.json\`: ${feedText('sample')}); \`genfeed --count 3000 --seed 1\` (${feedText('feed-3000')}).`);
  L.push('');
  for (const feed of LH_FEEDS) {
    const cells = summary[feed.key];
    L.push(`### ${feed.label}`);
    L.push('');
    L.push(`| metric | ${pages.join(' | ')} | ours ÷ best anchor | target | met? |`);
    L.push(`| --- | ${pages.map(() => '---:').join(' | ')} | ---: | --- | --- |`);
    for (const m of METRICS) {
      const ours = cells.ours ? cells.ours[m.key] : null;
      const anchorVals = anchors.map((p) => cells[p][m.key]).filter((v) => typeof v === 'number');
      const best = anchorVals.length ? (m.higherIsBetter ? Math.max(...anchorVals) : Math.min(...anchorVals)) : null;
      const ratio = typeof ours === 'number' && typeof best === 'number' && best > 0 ? ours / best : null;
      const tg = cells.ours ? target(m.key, ours, ratio) : null;
      L.push(
        `| ${m.label} | ${pages.map((p) => fmt(cells[p][m.key], m.unit)).join(' | ')} | ${ratio === null ? '—' : `${ratio.toFixed(2)}×`} | ${tg ? tg[0] : ''} | ${tg ? tg[1] : ''} |`,
      );
    }
    const notes = pages.flatMap((p) => cells[p].notes.map((n) => `${p}: ${n}`));
    L.push('');
    L.push(`Runs that finished: ${pages.map((p) => `${p} ${cells[p].ok}/${cells[p].runs}`).join(', ')}.${notes.length ? ' ' + notes.join('; ') + '.' : ''}`);
    if (cells.ours && cells.ours.appFiles.length) {
      L.push(`Ours, app code as transferred: ${cells.ours.appFiles.map(([p, b]) => `\`${p}\` ${(b / 1024).toFixed(1)} KB`).join(', ')}.`);
    }
    const lcpOf = pages.filter((p) => cells[p].lcpElements?.length).map((p) => `${p}: ${cells[p].lcpElements.map((e) => `\`${e}\``).join(' or ')}`);
    if (lcpOf.length) L.push(`The largest contentful paint was (Lighthouse's \`largest-contentful-paint-element\`) ${lcpOf.join('; ')}.`);
    L.push('');
  }
  const next = summariseLighthouse(results, [NEXT_VISIT]);
  L.push('### The next visit (ours)');
  L.push('');
  L.push('The same page opened again in the same browser after one visit, with the service worker, its copy of the app and the saved feed kept (Lighthouse\'s storage reset off), under the same throttling; the first visit is not measured.');
  L.push('');
  L.push('| feed | time to first pins | LCP | TBT | bytes transferred | target | met? |');
  L.push('| --- | ---: | ---: | ---: | ---: | --- | --- |');
  for (const feed of LH_FEEDS) {
    const c = next[feed.key][NEXT_VISIT];
    const met = typeof c.firstPins === 'number' ? (c.firstPins <= 1000 ? 'yes' : '**MISSED**') : 'no data';
    L.push(`| ${feed.label} | ${fmt(c.firstPins, 'ms')} | ${fmt(c.lcp, 'ms')} | ${fmt(c.tbt, 'ms')} | ${fmt(c.totalBytes, 'KB')} | first pins ≤ 1.0 s | ${met} |`);
  }
  const nextNotes = LH_FEEDS.flatMap((f) => next[f.key][NEXT_VISIT].notes.map((n) => `${f.key}: ${n}`));
  L.push('');
  L.push(`Runs that finished: ${LH_FEEDS.map((f) => `${f.key} ${next[f.key][NEXT_VISIT].ok}/${next[f.key][NEXT_VISIT].runs}`).join(', ')}.${nextNotes.length ? ' ' + nextNotes.join('; ') + '.' : ''}`);
  L.push('');
  L.push('How each number is taken:');
  L.push('');
  L.push('- **Performance score**: Lighthouse\'s 0–100 score for the run. **FCP, LCP, TBT**: its `first-contentful-paint`, `largest-contentful-paint` and `total-blocking-time` audits, measured under the throttling above.');
  L.push('- **Time to first pins**: navigation start to the page\'s first `am-drawn` mark, read from Lighthouse\'s `user-timings` audit of the same run.');
  L.push('- **Bytes transferred, whole load**: the `total-byte-weight` audit: every response as it came over the wire (page, scripts, wasm, styles, Leaflet, feed, tiles).');
  L.push('- **App code before first pins**: the transferred bytes (gzipped body and headers) of the JS, wasm and CSS responses, Leaflet, the feed and tiles aside, whose download ended before the first `am-drawn` mark, from Lighthouse\'s network records (`network-requests`; their times count from the first request). For ours: the wasm, its JS glue, `main.css` and the small scripts beside them; for the anchors: their own JS and CSS and the clustering library.');
  L.push('- **ours ÷ best anchor**: against the better of the two anchors in this run: the lower time or byte count, the higher score.');
  return L.join('\n');
}
