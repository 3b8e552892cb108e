// activity-map widget loader. A partner page needs only:
//   <script type="module" src="https://HOST/PATH/widget.js"></script>
//   <activity-map feed="https://..." categories="green,parkrun" center="53.48,-2.24" zoom="11" height="480px"></activity-map>
// Each element renders in its own Shadow DOM. The app (wasm) is fetched only when an
// element comes near the screen, once for the whole page, from beside this script.
const base = new URL('./', import.meta.url);
let app;
// The files of the finder's part (the app built with Leptos; the main module only reads
// settings and starts it): written in at build time by tests/tools/split-wasm.mjs.
const FINDER = []; // the finder's files

// The widget's own lines, shown before the app has loaded (or when it cannot), in the
// language the app will speak: its `lang` attribute, else the first of the browser's
// languages that the app has (src/app/words.rs). English here is locales/en.txt's; the
// other languages' lines come from their files in locales/, each fetched once a page.
const english = {
  'boot.loading': 'Loading the activity map…',
  'widget.failed': 'The activity map could not load ({reason}).',
};
const others = ['cy', 'ur'];
const wordsOf = new Map();

function languageOf(el) {
  const wanted = [el.getAttribute('lang') || ''].concat(navigator.languages || []);
  return wanted.map((l) => String(l).split(/[-_]/)[0].toLowerCase()).find((l) => l === 'en' || others.includes(l));
}

/** The lines of `lang`'s file as { key: text } (English, at once, for any other). */
function wordsFor(lang) {
  if (!others.includes(lang)) return Promise.resolve(null);
  if (!wordsOf.has(lang)) {
    const got = fetch(new URL(`locales/${lang}.txt`, base))
      .then((r) => (r.ok ? r.text() : ''))
      .then((text) => {
        const lines = {};
        for (const key of Object.keys(english)) {
          const m = new RegExp(`^[ \\t]*${key.replace('.', '\\.')}[ \\t]*=(.*)$`, 'm').exec(text);
          if (m && m[1].trim()) lines[key] = m[1].trim();
        }
        return lines;
      })
      .catch(() => null);
    wordsOf.set(lang, got);
  }
  return wordsOf.get(lang);
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

function loadApp() {
  app ??= (async () => {
    // Everything asked for at once, not one after another (each a round trip on a
    // phone's connection): Leaflet 1.x, which works through the global `L` (the page's
    // is reused if it has one), the wasm, the glue and the loader of the app's parts
    // that the glue imports.
    const leaflet = window.L ? null : loadScript(new URL('leaflet/leaflet.js', base).href);
    const wasm = fetch(new URL('activity-map_bg.wasm', base));
    // Handled where it is awaited, below; this only keeps an early failure from being
    // reported as unhandled meanwhile.
    wasm.catch(() => {});
    // Only fetched early here; the glue's own import gives the module (a failure shows there).
    import(new URL('__wasm_split.js', base).href).catch(() => {});
    // The finder's part too: the parts loader asks for it only once the main module has
    // started, a round trip later. A preload is what its `fetch` then takes up (same
    // address, mode and credentials), whatever the host's cache headers say.
    for (const file of FINDER) {
      const link = document.createElement('link');
      link.rel = 'preload';
      link.as = 'fetch';
      link.crossOrigin = 'anonymous';
      link.href = new URL(file, base).href;
      document.head.append(link);
    }
    // Tell the app's start-up not to take over the page: elements mount themselves.
    globalThis.__activityMapWidget = true;
    const mod = await import(new URL('activity-map.js', base).href);
    await leaflet;
    await mod.default({ module_or_path: wasm });
    return mod;
  })();
  return app;
}

// Which attributes matter is decided in one place, the app's core: there is no list of
// them here (`observedAttributes` would have to be one, known before the app loads).
// Instead a MutationObserver reports every attribute change, and the element remounts
// the app only when the settings the app reads from the attributes (`widget_settings`)
// change; `height` is the one attribute read here, to size the element before the app
// loads. A change the app does not read (`class`, ...) remounts nothing, and `style`
// changes are not even looked at: `size()` writes `style`, which must not call it again.
class ActivityMapElement extends HTMLElement {
  connectedCallback() {
    this.watch ??= new MutationObserver((changes) => {
      if (changes.some((c) => c.attributeName !== 'style')) this.attributesChanged();
    });
    this.watch.observe(this, { attributes: true });
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    for (const css of ['leaflet/leaflet.css', 'main.css']) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = new URL(css, base).href;
      root.append(link);
    }
    this.box = document.createElement('div');
    this.box.className = 'am-widget';
    root.append(this.box);
    this.say('boot.loading');
    this.size();
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        loadApp().then((mod) => this.mount(mod), (err) => {
          this.say('widget.failed', err.message);
        });
      }
    }, { rootMargin: '300px' });
    seen.observe(this);
  }

  /** Show `key`'s line: in English at once, then in the element's language once its
   *  words are here, unless another line (or the app) has taken its place meanwhile.
   *  The text is only ever text. */
  say(key, reason = '') {
    this.showing = key;
    this.box.textContent = english[key].replace('{reason}', reason);
    const lang = languageOf(this);
    wordsFor(lang).then((lines) => {
      const line = lines && lines[key];
      // Never over the app, once it has put anything in the box.
      if (!line || this.showing !== key || this.box.firstElementChild) return;
      this.box.textContent = line.replace('{reason}', reason);
      this.box.lang = lang;
      this.box.dir = 'auto';
    });
  }

  size() {
    // Set through the style object (not inline CSS text), so strict CSPs allow it.
    this.style.display = 'block';
    this.style.height = this.getAttribute('height') || '480px';
  }

  attributeMap() {
    const attributes = {};
    for (const a of this.attributes) attributes[a.name] = a.value;
    return attributes;
  }

  unmount() {
    // Freeing the handle unmounts the app and releases the handle's own memory.
    this.handle?.free();
    this.handle = null;
    this.mounting = null;
  }

  /** Mount the app. Its finder is a part of its own, downloaded for the first element,
   *  so the handle comes as a promise; the loading line stays until the app replaces
   *  it. Only the newest mount is kept: one overtaken by another, or by the element's
   *  removal, is freed as soon as it arrives. */
  async mount(mod) {
    this.unmount();
    const attributes = this.attributeMap();
    this.settings = mod.widget_settings(attributes);
    const mounting = (this.mounting = {});
    let handle;
    try {
      handle = await mod.mount_widget(this, this.box, attributes, new URL('index.html', base).href);
    } catch (err) {
      if (this.mounting === mounting) this.say('widget.failed', String(err?.message ?? err));
      return;
    }
    if (this.mounting !== mounting || !this.isConnected) {
      handle.free();
      return;
    }
    this.mounting = null;
    this.showing = null;
    this.handle = handle;
  }

  attributesChanged() {
    if (!this.box) return;
    this.size();
    if (!this.handle && !this.mounting) return;
    loadApp().then((mod) => {
      if ((this.handle || this.mounting) && mod.widget_settings(this.attributeMap()) !== this.settings) this.mount(mod);
    });
  }

  disconnectedCallback() {
    this.watch?.disconnect();
    this.unmount();
  }
}

if (!customElements.get('activity-map')) customElements.define('activity-map', ActivityMapElement);
