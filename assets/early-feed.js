// Starts downloading the activity feed while the app's own code is still loading, so
// the two arrive together instead of one after the other. The app takes this download
// over when it wants the same URL (src/app/loader.rs); otherwise, or when this script
// is missing, it fetches the feed itself. Same rule as the app: ?feed=, else the sample.
// The same for the words of a language other than English (src/app/words.rs): the
// link's ?lang=, else the first of the browser's languages that the app has. And a
// connection to the map's tiles' host.
(function () {
  var q = new URLSearchParams(location.search);
  if (q.has('builder')) return;
  // The map's own tiles (the app's DEFAULT_TILES, src/app/mod.rs) are usually the page's
  // largest paint, and come from another host: connect to it now, while the app loads,
  // rather than when the map first asks (a phone's DNS, TCP and TLS round trips). Not
  // when the link names other tiles (as every test does: nothing leaves the machine).
  if (!q.has('tiles')) {
    var pre = document.createElement('link');
    pre.rel = 'preconnect';
    pre.href = 'https://tile.openstreetmap.org';
    document.head.appendChild(pre);
  }
  // The languages in locales/ (English is built into the app).
  var others = ['cy', 'ur'];
  var wanted = [q.get('lang') || ''].concat(navigator.languages || []).map(function (l) {
    return String(l).split(/[-_]/)[0].toLowerCase();
  });
  var lang = wanted.filter(function (l) { return l === 'en' || others.indexOf(l) >= 0; })[0];
  if (lang && lang !== 'en') {
    // The page's first view is laid out as the finder will be, sheet and all: in a
    // right-to-left language, from the right (the finder sets it again, and back to
    // left-to-right should the words not come).
    var rtl = ['ur'];
    if (rtl.indexOf(lang) >= 0) document.documentElement.dir = 'rtl';
    var words = new URL('locales/' + lang + '.txt', document.baseURI).href;
    var got = fetch(words);
    got.catch(function () {});
    window.activityMapEarlyWords = { url: words, response: got };
    // The page's "Loading…" line in the language too, from its own words (a copy of the
    // response is read: the app reads the original).
    got
      .then(function (r) {
        return r.ok ? r.clone().text() : '';
      })
      .then(function (text) {
        var line = /^[ \t]*boot\.loading[ \t]*=(.*)$/m.exec(text);
        var boot = document.getElementById('am-boot');
        if (line && boot) {
          boot.textContent = line[1].trim();
          boot.lang = lang;
          boot.dir = 'auto';
        }
      })
      .catch(function () {});
  }
})();
(function () {
  var q = new URLSearchParams(location.search);
  if (q.has('builder')) return;
  var url;
  try {
    url = new URL(q.get('feed') || 'sample-feed.json', document.baseURI);
  } catch (e) {
    return; // Not an address: the app says so.
  }
  // Only web addresses are fetched (the app explains any other).
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
  var response = fetch(url.href);
  // A failed download is the app's to report when it takes it over; until then it
  // must not surface as an unhandled rejection.
  response.catch(function () {});
  window.activityMapEarlyFeed = { url: url.href, response: response };
})();
