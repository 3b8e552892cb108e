// activity-map widget loader. A partner page needs only:
//   <script type="module" src="https://HOST/PATH/widget.js"></script>
//   <activity-map feed="https://..." categories="green,parkrun" center="53.48,-2.24" zoom="11" height="480px"></activity-map>
// Each element renders in its own Shadow DOM. The app (wasm) is fetched only when an
// element comes near the screen, once for the whole page, from beside this script.
const base = new URL('./', import.meta.url);
let app;

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
    // Leaflet 1.x works through the global `L`; reuse the page's if it has one.
    if (!window.L) await loadScript(new URL('leaflet/leaflet.js', base).href);
    // Tell the app's start-up not to take over the page: elements mount themselves.
    globalThis.__activityMapWidget = true;
    const mod = await import(new URL('activity-map.js', base).href);
    await mod.default({ module_or_path: new URL('activity-map_bg.wasm', base) });
    return mod;
  })();
  return app;
}

class ActivityMapElement extends HTMLElement {
  connectedCallback() {
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
    this.box.textContent = 'Activity map: loading…';
    root.append(this.box);
    this.size();
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        loadApp().then((mod) => this.mount(mod), (err) => {
          this.box.textContent = `The activity map could not load (${err.message}).`;
        });
      }
    }, { rootMargin: '300px' });
    seen.observe(this);
  }

  size() {
    // Set through the style object (not inline CSS text), so strict CSPs allow it.
    this.style.display = 'block';
    this.style.height = this.getAttribute('height') || '480px';
  }

  mount(mod) {
    this.handle?.unmount();
    this.box.textContent = '';
    const attributes = {};
    for (const a of this.attributes) attributes[a.name] = a.value;
    this.handle = mod.mount_widget(this, this.box, attributes, new URL('index.html', base).href);
  }

  attributeChangedCallback() {
    if (!this.box) return;
    this.size();
    if (this.handle) loadApp().then((mod) => this.mount(mod));
  }

  disconnectedCallback() {
    this.handle?.unmount();
    this.handle = null;
  }

  static get observedAttributes() {
    return ['feed', 'tiles', 'categories', 'center', 'centre', 'zoom', 'height', 'cat', 'tag', 'day', 'part', 'today', 'free',
      'access', 'self', 'q', 'r', 'at', 'place', 'inview', 'list', 'sel', 'map', 'geocoder', 'category', 'rules'];
  }
}

if (!customElements.get('activity-map')) customElements.define('activity-map', ActivityMapElement);
