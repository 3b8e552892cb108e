// Starts downloading the activity feed while the app's own code is still loading, so
// the two arrive together instead of one after the other. The app takes this download
// over when it wants the same URL (src/app/loader.rs); otherwise, or when this script
// is missing, it fetches the feed itself. Same rule as the app: ?feed=, else the sample.
(function () {
  var q = new URLSearchParams(location.search);
  if (q.has('builder')) return;
  var url = new URL(q.get('feed') || 'sample-feed.json', document.baseURI).href;
  window.activityMapEarlyFeed = { url: url, response: fetch(url) };
})();
