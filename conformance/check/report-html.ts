/**
 * The self-contained HTML report of a check run: one file, inline CSS and a few lines of
 * inline script (filter buttons, and counts recomputed from the rendered rows so a browser
 * test can compare them with the JSON summary). No external resources.
 */
import type { Finding, Outcome, Severity } from './findings.ts';
import type { CheckReport } from './report.ts';

function esc(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SEVERITIES: readonly Severity[] = ['MUST', 'SHOULD', 'info'];
const OUTCOMES: readonly Outcome[] = ['fail', 'pass', 'skip'];

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330}
h1{font-size:1.4rem;margin:0 0 .2rem}.meta{color:#5a6475;margin:0 0 1.2rem}
.verdict{display:inline-block;padding:.3rem .8rem;border-radius:.4rem;font-weight:600;margin-bottom:1rem}
.verdict.ok{background:#dff5e3;color:#17602a}.verdict.bad{background:#fde2e1;color:#8e1c14}
table.summary{border-collapse:collapse;margin-bottom:1.5rem}table.summary td,table.summary th{border:1px solid #d5dae3;padding:.3rem .8rem;text-align:right}
table.summary th:first-child,table.summary td:first-child{text-align:left}
.filters button{margin:0 .3rem .8rem 0;border:1px solid #aab3c2;background:#fff;border-radius:.3rem;padding:.2rem .6rem;cursor:pointer}
.finding{border:1px solid #d5dae3;border-left-width:.35rem;border-radius:.3rem;padding:.5rem .8rem;margin:.4rem 0}
.finding.fail.MUST{border-left-color:#c62828}.finding.fail.SHOULD{border-left-color:#ef8f00}.finding.fail.info{border-left-color:#7b8aa3}
.finding.pass{border-left-color:#2e7d32}.finding.skip{border-left-color:#b0b7c3;color:#5a6475}
.id{font-family:ui-monospace,monospace;font-weight:600}.tag{font-size:.75rem;padding:0 .35rem;border-radius:.2rem;background:#eef1f6;margin-left:.3rem}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fb;padding:.4rem .6rem;border-radius:.25rem;margin:.3rem 0;font-size:12px}
.fix{color:#17602a}.section{color:#5a6475;font-size:.85rem}
`;

const SCRIPT = `
(function(){
  var rows=document.querySelectorAll('.finding');var counts={};
  rows.forEach(function(r){var k=r.dataset.severity+'-'+r.dataset.outcome;counts[k]=(counts[k]||0)+1;});
  var out=document.getElementById('dom-counts');out.textContent=JSON.stringify(counts);
  document.body.setAttribute('data-rendered','yes');
  document.querySelectorAll('.filters button').forEach(function(b){b.addEventListener('click',function(){
    var show=b.dataset.show;rows.forEach(function(r){r.hidden=show!=='all'&&r.dataset.outcome!==show;});});});
})();
`;

function findingHtml(f: Finding): string {
  return `<div class="finding ${f.outcome} ${f.severity}" data-severity="${f.severity}" data-outcome="${f.outcome}">
<div><span class="id">${esc(f.id)}</span><span class="tag">${f.outcome.toUpperCase()}</span><span class="tag">${f.severity}</span><span class="tag">${esc(f.era)}</span> ${esc(f.title)}</div>
<div>${esc(f.detail)}</div>
<div class="section">spec: ${esc(f.section)}</div>
${f.exchange === undefined ? '' : `<pre>${esc(f.exchange)}</pre>`}
${f.outcome === 'fail' ? `<div class="fix">fix: ${esc(f.fix)}</div>` : ''}
</div>`;
}

/** The report as one self-contained HTML document. */
export function formatHtml(report: CheckReport): string {
  const s = report.summary;
  const rows = SEVERITIES.map((sev) => `<tr><td>${sev}</td>${OUTCOMES.map((o) => `<td data-summary="${sev}-${o}">${s.counts[sev][o]}</td>`).join('')}</tr>`).join('\n');
  const order = (f: Finding) => OUTCOMES.indexOf(f.outcome) * 3 + SEVERITIES.indexOf(f.severity);
  const findings = [...report.findings].sort((a, b) => order(a) - order(b)).map(findingHtml).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>mcpwire check: ${esc(report.target)}</title><style>${CSS}</style></head>
<body data-rendered="no">
<h1>mcpwire check</h1>
<p class="meta">${esc(report.target)} · eras: ${esc(report.eras.join(', ') || 'none detected')} · ${esc(report.startedAt)} · ${report.durationMs} ms</p>
<div class="verdict ${s.passed ? 'ok' : 'bad'}" id="verdict" data-passed="${s.passed}">${s.passed ? 'No MUST failure' : `${s.counts.MUST.fail} MUST failure(s)`}</div>
<table class="summary"><thead><tr><th>severity</th><th>fail</th><th>pass</th><th>skip</th></tr></thead><tbody>
${rows}
</tbody></table>
<div class="filters"><button data-show="all">all</button><button data-show="fail">failures</button><button data-show="pass">passed</button><button data-show="skip">skipped</button></div>
${findings}
<p id="dom-counts" hidden></p>
<script>${SCRIPT}</script>
</body></html>
`;
}
