// lighthouse-table.mjs prints the scores of Lighthouse JSON reports as a
// Markdown table (the one in the README), with the date, the machine and
// the audits that cost points. Several reports of one page are runs of the
// same measurement: the run with the median performance score is shown.
// Used by static/src/lighthouse.sh.
//
//	node static/src/lighthouse-table.mjs report.json…
import { readFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'

const categories = ['performance', 'accessibility', 'best-practices', 'seo']

// Reports grouped by page, in the order the pages first appear.
const byPage = new Map()
for (const file of process.argv.slice(2)) {
  const r = JSON.parse(readFileSync(file, 'utf8'))
  const page = new URL(r.finalDisplayedUrl ?? r.finalUrl).pathname
  if (!byPage.has(page)) {
    byPage.set(page, [])
  }
  byPage.get(page).push(r)
}

const rows = []
const notes = []
let version = ''
let runs = 0
for (const [page, reports] of byPage) {
  const perf = (r) => r.categories.performance?.score ?? 0
  const sorted = [...reports].sort((a, b) => perf(a) - perf(b))
  const r = sorted[Math.floor((sorted.length - 1) / 2)]
  version = r.lighthouseVersion
  runs = Math.max(runs, reports.length)
  const scores = categories.map((c) => Math.round((r.categories[c]?.score ?? 0) * 100))
  const metric = (id) => r.audits[id]?.displayValue ?? ''
  const range = sorted.length > 1 ? ` (${Math.round(perf(sorted[0]) * 100)}–${Math.round(perf(sorted.at(-1)) * 100)})` : ''
  rows.push([
    page,
    `${scores[0]}${range}`,
    ...scores.slice(1),
    metric('largest-contentful-paint'),
    metric('total-blocking-time'),
    metric('cumulative-layout-shift'),
    Math.round(r.environment?.benchmarkIndex ?? 0),
  ])
  for (const c of categories) {
    for (const ref of r.categories[c]?.auditRefs ?? []) {
      const a = r.audits[ref.id]
      if (ref.weight > 0 && a && a.score !== null && a.score < 1 && (c !== 'performance' || a.score < 0.9)) {
        notes.push(`${page} ${c}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`)
      }
    }
  }
}

const header = ['Pagina', 'Performance', 'Accessibilità', 'Best practices', 'SEO', 'LCP', 'TBT', 'CLS', 'Benchmark index']
const lines = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`)
const cpu = (cpus()[0]?.model ?? 'unknown CPU').trim()
console.log(
  `Lighthouse ${version}, mobile (simulated slow 4G, 4× CPU slowdown), median of ${runs} run(s) per page ` +
    `(range of the performance score in brackets), ${new Date().toISOString().slice(0, 10)}, ` +
    `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, load average ${loadavg()[0].toFixed(1)} at the end, Chromium headless.\n`,
)
console.log(lines.join('\n'))
if (notes.length > 0) {
  console.log('\nAudits that cost points (median run):')
  for (const n of notes) {
    console.log(`- ${n}`)
  }
}
