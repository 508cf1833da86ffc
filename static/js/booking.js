// booking.js: progressive enhancement of the booking pages
// (templates/booking.templ). Everything works without it.
(function () {
  'use strict';

  // "Stampa questa pagina": the button is hidden without JavaScript, where
  // the page points to the browser's own Print command instead.
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  });
})();
