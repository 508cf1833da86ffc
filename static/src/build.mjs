// build.mjs builds the front-end files the portal serves from the pinned npm
// packages into static/vendor/ (committed, so `go build` never needs npm),
// keeping only what the pages use. Run it through `make assets`, which runs
// `npm ci` first; by hand, from the repository root:
//
//	node static/src/build.mjs
//
// What it writes, under static/vendor/bootstrap-italia/:
//
//   - js/bootstrap-italia.bundle.min.js: the Bootstrap Italia modules listed
//     in static/src/bootstrap-italia.js, bundled and minified by esbuild. The
//     build fails when a template uses a data-bs-* hook of a module that is
//     not bundled (see dataAPIModules).
//   - css/bootstrap-italia.min.css: Bootstrap Italia compiled from its Sass
//     sources (static/src/bootstrap-italia.scss), then purged by PurgeCSS of
//     the selectors no template, Go view or script mentions, and minified.
//     The :root --bootstrap-italia-version property is kept (the Modello
//     Comuni checks look for it); the build fails without it.
//   - svg/sprites.svg: only the icons the templates name. The build fails
//     when a template names an icon the sprite does not have.
//   - fonts/Titillium_Web/: the upright faces portal.css declares, woff2.
//
// Lora is not shipped: Bootstrap Italia uses it only in a few components
// (callout and card paragraphs, hero text, dimmer), it was never downloaded
// before either (portal.css declares the faces, and only Titillium Web's),
// and two more faces would cost about 40 KB of a 150 KB first visit. The
// Sass build names Georgia instead, which is what every visitor without Lora
// installed already saw. (Roboto Mono, for code, is not shipped either; the
// stack falls back to the system monospace as before.) The italic Titillium
// faces are gone too: no template sets text in italics, so a browser would
// fetch them only for emphasis in edited content, where the synthesised
// oblique is good enough.
//
// It also writes internal/web/testdata/bootstrap-italia-unused-classes.txt,
// the classes of the full Bootstrap Italia CSS that the markup does not
// mention, so that a Go test can tell when a template starts using a class
// this purged build dropped (rerun `make assets` then), and copies axe-core
// for the browser tests.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
process.chdir(root)

// Everything is built in stage, which replaces static/vendor only when the
// whole build succeeded: a failed build leaves the committed files alone.
const stage = 'static/.vendor-build'

const bi = 'node_modules/bootstrap-italia'
const axe = 'node_modules/axe-core'
for (const pkg of [bi, axe, 'node_modules/esbuild', 'node_modules/sass', 'node_modules/purgecss']) {
  if (!existsSync(join(pkg, 'package.json'))) {
    fail(`${pkg} is missing; run 'npm ci' first (or 'make assets')`)
  }
}
const { build, transform } = await import('esbuild')
const sass = await import('sass')
const { PurgeCSS } = await import('purgecss')

const out = 'static/vendor'
const biOut = join(stage, 'bootstrap-italia')
const unusedClassesFile = 'internal/web/testdata/bootstrap-italia-unused-classes.txt'

// Where the markup lives: every class, data attribute and icon name the
// pages can carry is written literally in one of these files.
const markupFiles = [
  ...list('templates', (f) => f.endsWith('.templ') || f.endsWith('.go')),
  ...list('internal/web', (f) => f.endsWith('.go') && !f.endsWith('_test.go')),
  ...list('static/js', (f) => f.endsWith('.js')),
]
const markup = markupFiles.map((f) => readFileSync(f, 'utf8')).join('\n')

// Element names that edited content (Markdown rendered by internal/content)
// can produce although no template spells them out.
const contentElements = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'img', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 's', 'small', 'strong', 'sub', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
]

// dataAPIModules maps the data-bs-* hooks Bootstrap Italia's scripts react
// to onto the module that implements them. A hook used in the markup must
// belong to a module static/src/bootstrap-italia.js bundles.
const dataAPIModules = {
  'data-bs-toggle="navbarcollapsible"': 'navbar-collapsible',
  'data-bs-navscroll': 'navscroll',
  'data-bs-toggle="collapse"': 'collapse',
  'data-bs-toggle="dropdown"': 'dropdown',
  'data-bs-toggle="modal"': 'modal',
  'data-bs-toggle="tab"': 'tab',
  'data-bs-toggle="tooltip"': 'tooltip',
  'data-bs-toggle="popover"': 'popover',
  'data-bs-toggle="offcanvas"': 'offcanvas',
  'data-bs-toggle="sticky"': 'sticky',
  'data-bs-toggle="backtotop"': 'back-to-top',
  'data-bs-toggle="historyback"': 'history-back',
  'data-bs-toggle="forward"': 'forward',
  'data-bs-dismiss': 'alert',
  'data-bs-input': 'input',
  'data-bs-autocomplete': 'input-search-autocomplete',
  'data-bs-carousel-splide': 'carousel',
  'data-bs-accept-from': 'accept-overlay',
  'data-bs-video': 'videoplayer',
  'data-bs-progress-donut': 'progress-donut',
  'data-bs-upload-dragdrop': 'upload-dragdrop',
  'data-bs-transfer': 'transfer',
  'data-bs-list-checkbox': 'list',
}
// data-bs-target only names the element a hook acts on.
const passiveDataAttributes = new Set(['data-bs-target'])

rmSync(stage, { recursive: true, force: true })
for (const d of ['css', 'js', 'svg', 'fonts/Titillium_Web']) {
  mkdirSync(join(biOut, d), { recursive: true })
}

const js = await buildJS()
const css = await buildCSS(js)
const icons = buildSprite()
const fonts = copyFonts()
copyFileSync(join(bi, 'LICENSE'), join(biOut, 'LICENSE'))

writeFileSync(
  join(stage, 'VERSIONS.txt'),
  [
    '# Generated by static/src/build.mjs (make assets); do not edit.',
    `bootstrap-italia ${version(bi)}`,
    `  js: ${js.modules.join(', ')}`,
    `  css: Sass sources, purged (static/src/bootstrap-italia.scss)`,
    `  icons: ${icons.join(', ')}`,
    `  fonts: ${fonts.join(', ')}`,
    `axe-core ${version(axe)} (browser tests only, not served)`,
    '',
  ].join('\n'),
)

rmSync(out, { recursive: true, force: true })
renameSync(stage, out)
mkdirSync(dirname(unusedClassesFile), { recursive: true })
renameSync(join(out, 'unused-classes.txt'), unusedClassesFile)

// axe-core is used only by the browser tests (embedded there, never
// served). The minified file carries its own MPL-2.0 notice.
mkdirSync('internal/browsertest/axe', { recursive: true })
copyFileSync(join(axe, 'axe.min.js'), 'internal/browsertest/axe/axe.min.js')

report()

// buildJS bundles static/src/bootstrap-italia.js after checking that it
// covers every data-bs-* hook of the markup.
async function buildJS() {
  const entry = 'static/src/bootstrap-italia.js'
  const source = readFileSync(entry, 'utf8')
  const modules = [...source.matchAll(/^import\s+(?:\w+\s+from\s+)?'bootstrap-italia\/dist\/plugins\/([\w-]+)\.js'/gm)].map(
    (m) => m[1],
  )
  const used = new Set([...markup.matchAll(/data-bs-[\w-]+(?:=\\?"[\w-]*\\?")?/g)].map((m) => m[0].replaceAll('\\', '')))
  for (const hook of used) {
    const attr = hook.split('=')[0]
    if (passiveDataAttributes.has(attr)) {
      continue
    }
    const module = dataAPIModules[hook] ?? dataAPIModules[attr]
    if (!module) {
      fail(`the markup uses ${hook}, which build.mjs does not know: add it to dataAPIModules`)
    }
    if (!modules.includes(module)) {
      fail(`the markup uses ${hook}: import bootstrap-italia/dist/plugins/${module}.js in ${entry}`)
    }
  }
  const outfile = join(biOut, 'js/bootstrap-italia.bundle.min.js')
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'bootstrap',
    target: ['es2020'],
    legalComments: 'none',
    banner: {
      js: `/*! Bootstrap Italia ${version(bi)} (BSD-3-Clause, see LICENSE): ${modules.join(', ')}. Built by static/src/build.mjs. */`,
    },
    logLevel: 'warning',
  })
  return { modules, code: readFileSync(outfile, 'utf8') }
}

// buildCSS compiles Bootstrap Italia's Sass and keeps the rules the markup
// and the bundled scripts can match.
async function buildCSS(js) {
  const full = sass.compile('static/src/bootstrap-italia.scss', {
    loadPaths: ['node_modules'],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import', 'global-builtin', 'color-functions'],
  }).css
  const content = [
    ...markupFiles.map((f) => ({ raw: readFileSync(f, 'utf8'), extension: f.split('.').pop() === 'js' ? 'js' : 'html' })),
    // Classes the bundled scripts add at run time (show, collapsing,
    // active, focus--mouse, …) are string literals of the bundle.
    { raw: js.code, extension: 'js' },
    { raw: contentElements.join(' '), extension: 'html' },
  ]
  // PurgeCSS's default extractor: every word of the content may be a class.
  writeUnusedClasses(full, new Set(content.flatMap((c) => c.raw.match(/[A-Za-z0-9_-]+/g) ?? [])))

  const [purged] = await new PurgeCSS().purge({
    content,
    css: [{ raw: full }],
    variables: true,
    keyframes: true,
    fontFace: true,
    safelist: {
      standard: [/^focus--/],
      variables: ['--bootstrap-italia-version'],
    },
  })
  const { code } = await transform(purged.css, { loader: 'css', minify: true, legalComments: 'none' })
  const banner = `/*! Bootstrap Italia ${version(bi)} (BSD-3-Clause, see LICENSE), only the rules the portal uses. Built by static/src/build.mjs. */\n`
  const css = banner + code
  if (!/:root\s*\{[^}]*--bootstrap-italia-version\s*:/.test(css)) {
    fail('the purged CSS lost the :root --bootstrap-italia-version property')
  }
  if (/Lora/.test(css)) {
    fail('the CSS still names Lora, which is not shipped')
  }
  writeFileSync(join(biOut, 'css/bootstrap-italia.min.css'), css)
  return css
}

// writeUnusedClasses records the classes the full Bootstrap Italia CSS
// defines that the markup never mentions, so that a Go test can tell when a
// template starts using one of them after this build purged its rules.
function writeUnusedClasses(full, mentioned) {
  const withoutBlocks = full.replace(/\{[^{}]*\}/g, '{}') // declarations, innermost first
  const classes = new Set()
  for (const m of withoutBlocks.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)) {
    classes.add(m[1])
  }
  const unused = [...classes].filter((c) => !mentioned.has(c)).sort()
  writeFileSync(
    join(stage, 'unused-classes.txt'),
    `# Classes the full Bootstrap Italia ${version(bi)} CSS defines that no template, Go view or script\n` +
      '# mentioned when static/src/build.mjs last ran (make assets): their rules are not in static/vendor.\n' +
      unused.join('\n') +
      '\n',
  )
}

// buildSprite keeps the sprite's symbols the markup names: the icon of
// every Icon(p, "it-…", …) call and sprites.svg#it-… reference (which must
// exist), and any other "it-…" string literal that is an icon name (a view
// model may carry one).
function buildSprite() {
  const sprite = readFileSync(join(bi, 'dist/svg/sprites.svg'), 'utf8')
  const symbols = new Map([...sprite.matchAll(/<symbol id="([^"]+)"[^>]*>[\s\S]*?<\/symbol>/g)].map((m) => [m[1], m[0]]))
  const required = new Set([
    ...[...markup.matchAll(/\bIcon\([^,()]+,\s*"([^"]+)"/g)].map((m) => m[1]),
    ...[...markup.matchAll(/sprites\.svg#([\w-]+)/g)].map((m) => m[1]),
  ])
  const missing = [...required].filter((name) => !symbols.has(name))
  if (missing.length > 0) {
    fail(`the templates use icons Bootstrap Italia's sprite does not have: ${missing.join(', ')}`)
  }
  const candidates = [...markup.matchAll(/"(it-[\w-]+)"/g)].map((m) => m[1]).filter((name) => symbols.has(name))
  const names = [...new Set([...required, ...candidates])].sort()
  writeFileSync(
    join(biOut, 'svg/sprites.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg">' + names.map((n) => symbols.get(n)).join('') + '</svg>',
  )
  return names
}

// copyFonts copies the Titillium Web faces static/css/portal.css declares.
function copyFonts() {
  const portal = readFileSync('static/css/portal.css', 'utf8')
  const prefix = '../vendor/bootstrap-italia/fonts/Titillium_Web/'
  const names = [...portal.matchAll(/url\("([^"]+)"\)/g)].map((m) => m[1]).filter((u) => u.startsWith(prefix))
  if (names.length === 0) {
    fail('static/css/portal.css declares no Titillium Web face')
  }
  for (const n of names) {
    const file = n.slice(prefix.length)
    if (!file.endsWith('.woff2')) {
      fail(`portal.css refers to ${file}: ship woff2 only`)
    }
    copyFileSync(join(bi, 'dist/fonts/Titillium_Web', file), join(biOut, 'fonts/Titillium_Web', file))
  }
  copyFileSync(join(bi, 'dist/fonts/Titillium_Web/OFL.txt'), join(biOut, 'fonts/Titillium_Web/OFL.txt'))
  return names.map((n) => n.slice(prefix.length).replace(/^titillium-web-v10-latin-ext_latin-|\.woff2$/g, ''))
}

function report() {
  let total = 0
  for (const f of list(out, () => true)) {
    const b = readFileSync(f)
    total += b.length
    console.log(`${relative(out, f).padEnd(72)} ${String(b.length).padStart(8)} ${String(gzipSync(b).length).padStart(8)} gz`)
  }
  console.log(`build.mjs: ${total} bytes in ${out}; axe-core in internal/browsertest/axe`)
  try {
    execFileSync('git', ['diff', '--quiet', '--', out])
  } catch {
    console.log(`build.mjs: ${out} changed; commit it`)
  }
}

// list returns the files under dir (recursively) that keep accepts, sorted.
function list(dir, keep) {
  const files = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) {
      files.push(...list(p, keep))
    } else if (keep(e.name)) {
      files.push(p)
    }
  }
  return files.sort()
}

function version(pkg) {
  return JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version
}

function fail(msg) {
  rmSync(stage, { recursive: true, force: true })
  console.error(`build.mjs: ${msg}`)
  process.exit(1)
}
