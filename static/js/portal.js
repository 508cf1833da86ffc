// portal.js: progressive enhancement only. Every page works without it.
// Loaded with `defer` from the same origin (the CSP forbids inline scripts),
// BEFORE bootstrap-italia.bundle.min.js: deferred scripts run in document
// order, and the flag below must be set when the bundle runs.
(function () {
  'use strict';

  // The video.js copy inside the Bootstrap Italia bundle injects a <style>
  // element at load unless told not to; the CSP would block it and report a
  // violation. The site has no video players, so its defaults are not needed.
  window.VIDEOJS_NO_DYNAMIC_STYLE = true;

  // Page rating: without JS the follow-up questions are always visible.
  // With JS they stay hidden until a star is chosen, so the first question
  // stands alone. A star already checked (a re-rendered form, or state the
  // browser restored on "back") keeps them visible.
  var stars = '.page-rating-stars input[type="radio"]';

  function sync(form, followup) {
    followup.hidden = form.querySelector(stars + ':checked') === null;
  }

  document.querySelectorAll('[data-page-rating]').forEach(function (form) {
    var followup = form.querySelector('[data-page-rating-followup]');
    if (!followup) {
      return;
    }
    sync(form, followup);
    form.addEventListener('change', function (event) {
      if (event.target.matches(stars)) {
        followup.hidden = false;
      }
    });
    window.addEventListener('pageshow', function () {
      sync(form, followup);
    });
  });
})();
