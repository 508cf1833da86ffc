// bootstrap-italia.js: the Bootstrap Italia modules the portal's pages use,
// bundled by static/src/build.mjs with esbuild into
// static/vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js.
//
// Each module registers its data API (document-level listeners) when it is
// evaluated. build.mjs refuses to build when a template uses a data-bs-*
// hook whose module is not listed here (see dataAPIModules there).
//
//   init              focus--mouse/focus--keyboard classes (TrackFocus) and
//                     window.BOOTSTRAP_ITALIA_VERSION
//   Input             moves form labels out of the way of filled inputs
//   NavBarCollapsible the header menu on small screens
//                     (data-bs-toggle="navbarcollapsible")
//   NavScroll         the service sheet's page index (data-bs-navscroll)
import 'bootstrap-italia/dist/plugins/init.js'
import Input from 'bootstrap-italia/dist/plugins/input.js'
import NavBarCollapsible from 'bootstrap-italia/dist/plugins/navbar-collapsible.js'
import NavScroll from 'bootstrap-italia/dist/plugins/navscroll.js'

// Exported as window.bootstrap, as the full bundle does; this also keeps
// the modules (and their data API) from being tree-shaken away.
export { Input, NavBarCollapsible, NavScroll }
