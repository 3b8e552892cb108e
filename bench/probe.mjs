// What the benchmarks watch from inside the page (bench/run.mjs, bench/pack.mjs): long
// tasks, the wasm instance's memory, `am-drawn` marks, and the timing of a repaint; and
// the pan and zoom both time frames over.

// Runs before any of the page's scripts (context.addInitScript).
export function benchInit() {
  const B = (window.__bench = { longtasks: [], memories: [], armed: null, t0: null, frames: null });
  try {
    performance.setResourceTimingBufferSize(100000);
  } catch {}
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) B.longtasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  // The wasm instance's memory: wrap instantiate/instantiateStreaming to see the instance.
  for (const name of ['instantiate', 'instantiateStreaming']) {
    const orig = WebAssembly[name];
    if (typeof orig !== 'function') continue;
    WebAssembly[name] = function (...args) {
      return orig.apply(this, args).then((r) => {
        const inst = r && r.instance ? r.instance : r;
        const mem = inst && inst.exports && inst.exports.memory;
        if (mem instanceof WebAssembly.Memory && !B.memories.includes(mem)) B.memories.push(mem);
        return r;
      });
    };
  }
  addEventListener('TrunkApplicationStarted', (e) => {
    const mem = e.detail && e.detail.wasm && e.detail.wasm.memory;
    if (mem instanceof WebAssembly.Memory && !B.memories.includes(mem)) B.memories.push(mem);
  });
  B.wasmBytes = () => B.memories.reduce((n, m) => n + m.buffer.byteLength, 0);
  // Redraws, counted as they are marked: the app keeps only the first and the latest
  // mark of each name on the timeline (src/app/browser.rs, `perf_mark`).
  B.draws = 0;
  new PerformanceObserver((list) => {
    B.draws += list.getEntriesByName('am-drawn').length;
  }).observe({ type: 'mark' });
  // The input a repaint is timed from: the first event of the armed types.
  for (const type of ['click', 'keydown']) {
    addEventListener(
      type,
      (e) => {
        if (B.armed && B.armed.includes(e.type) && B.t0 === null) B.t0 = e.timeStamp;
      },
      true,
    );
  }
  // Arming starts a frame loop before the input is sent, so the first frame after the
  // next `am-drawn` mark is seen when it happens, whatever else the page then does.
  // (Waiting for it from a later evaluate would also time how long the page takes to get
  // round to that evaluate: its deferred work after the repaint.)
  const markAfter = (name, t) => performance.getEntriesByName(name).some((m) => m.startTime >= t);
  // Ours updates its list and counts a frame after the map (`am-listed`); an anchor
  // renders its list before it draws, so for it both are `am-drawn`.
  const listMark = () => (document.querySelector('.am-app') ? 'am-listed' : 'am-drawn');
  B.arm = (types) => {
    B.armed = types;
    B.t0 = null;
    B.result = null;
    B.listed = null;
    const start = performance.now();
    const frame = () => {
      const now = performance.now();
      if (B.t0 !== null && B.result === null && markAfter('am-drawn', B.t0)) {
        B.armed = null;
        B.result = now - B.t0;
      }
      if (B.t0 !== null && B.listed === null && markAfter(listMark(), B.t0)) B.listed = now - B.t0;
      if (B.result !== null && B.listed !== null) return;
      if (now - start < 600000) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  };
  // Input → the first animation frame after the next `am-drawn` mark (and after the list
  // mark); null on timeout.
  B.repaint = (timeoutMs) =>
    new Promise((resolve) => {
      const start = performance.now();
      const poll = () => {
        if (B.result !== null && B.listed !== null) return resolve([B.result, B.listed]);
        if (performance.now() - start > timeoutMs) return resolve([B.result, B.listed]);
        setTimeout(poll, 25);
      };
      poll();
    });
  // Resolves once nothing has been drawn and no long task has run for quietMs.
  B.settle = (quietMs, maxMs) =>
    new Promise((resolve) => {
      const start = performance.now();
      const tick = () => {
        const now = performance.now();
        const marks = performance.getEntriesByName('am-drawn');
        const lastMark = marks.length ? marks[marks.length - 1].startTime : 0;
        const lastLong = B.longtasks.reduce((t, [s, d]) => Math.max(t, s + d), 0);
        if (now - Math.max(lastMark, lastLong) >= quietMs || now - start > maxMs) return resolve(now - start);
        setTimeout(tick, 50);
      };
      tick();
    });
  B.framesStart = () => {
    B.frames = [];
    const loop = (t) => {
      if (!B.frames) return;
      B.frames.push(t);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  };
  B.framesStop = () => {
    const f = B.frames || [];
    B.frames = null;
    const deltas = [];
    for (let i = 1; i < f.length; i++) deltas.push(f[i] - f[i - 1]);
    return deltas;
  };
}


/** The scripted pan and zoom both benchmarks time frames over: two mouse drags from
 *  the middle of the map left clear of the list, then two zoom-ins and two zoom-outs
 *  with Leaflet's buttons (~3.5 s). Returns the requestAnimationFrame deltas. */
export async function panAndZoom(page) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const area = await page.evaluate(() => {
    const map = document.querySelector('.leaflet-container').getBoundingClientRect();
    const sheet = document.querySelector('.am-panel, .an-panel').getBoundingClientRect();
    return { x: map.left + map.width / 2, y: (map.top + Math.min(map.bottom, sheet.top)) / 2 };
  });
  await page.evaluate(() => window.__bench.framesStart());
  const drag = async (dx0, dy0, dx1, dy1) => {
    await page.mouse.move(area.x + dx0, area.y + dy0);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) {
      await page.mouse.move(area.x + dx0 + ((dx1 - dx0) * i) / 20, area.y + dy0 + ((dy1 - dy0) * i) / 20);
      await sleep(16);
    }
    await page.mouse.up();
  };
  await drag(70, 40, -70, -40);
  await sleep(350);
  await drag(-70, -40, 80, 50);
  await sleep(350);
  for (const sel of ['.leaflet-control-zoom-in', '.leaflet-control-zoom-in', '.leaflet-control-zoom-out', '.leaflet-control-zoom-out']) {
    await page.locator(sel).click();
    await sleep(450);
  }
  return page.evaluate(() => window.__bench.framesStop());
}
