/**
 * `--html FILE`: a self-contained page (no network, no scripts from elsewhere) showing a
 * traced conversation as a sequence diagram: the human and the model behind the client,
 * the client, the server. Each message is an arrow with its explanation; its payload opens
 * on a click; a filter narrows the rows by method.
 */
import type { TraceRecord } from './record.ts';

export interface TraceHtmlOptions {
  title?: string;
}

/** Lanes, left to right. */
const LANES = ['human', 'client', 'server', 'model'] as const;
type Lane = (typeof LANES)[number];

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Who a message involves beyond the client: elicitation reaches the human, sampling the model. */
function behind(r: TraceRecord): Lane | undefined {
  const method = r.method ?? r.answers;
  if (method === 'elicitation/create') return 'human';
  if (method === 'sampling/createMessage') return 'model';
  return undefined;
}

function label(r: TraceRecord): string {
  const id = r.id !== undefined ? ` #${JSON.stringify(r.id)}` : '';
  switch (r.kind) {
    case 'request': return `${r.method}${id}`;
    case 'response': return `result${id}${r.answers ? ` (${r.answers})` : ''}`;
    case 'error': return `error${id}${r.answers ? ` (${r.answers})` : ''}`;
    case 'notification': return r.method ?? 'notification';
    case 'http': return `HTTP ${r.http?.method ?? ''}`;
    case 'stdio': return 'stdio';
    case 'skipped': return `analysis skipped ${r.skipped ?? ''}`;
    default: return 'invalid frame';
  }
}

function row(r: TraceRecord): string {
  const from: Lane = r.direction === 'client-to-server' ? 'client' : 'server';
  const to: Lane = r.direction === 'client-to-server' ? 'server' : 'client';
  const extra = behind(r);
  const left = Math.min(LANES.indexOf(from), LANES.indexOf(to)) + 1;
  const right = Math.max(LANES.indexOf(from), LANES.indexOf(to)) + 2;
  const rightward = LANES.indexOf(to) > LANES.indexOf(from);
  const method = r.method ?? r.answers ?? r.kind;
  const findings = r.findings.map((f) => `<li>${escape(f.id)} (${escape(f.definition)}): ${escape(f.message)}</li>`).join('');
  const where = r.http ? ` · ${escape(r.http.method)} #${r.http.exchange}${r.http.status !== undefined ? ` ${r.http.status}` : ''}${r.http.eventId ? ` · event ${escape(r.http.eventId)}` : ''}` : '';
  const payload = r.message === null || r.message === undefined ? '' : `<details><summary>payload</summary><pre>${escape(JSON.stringify(r.message, null, 2))}</pre></details>`;
  const note = extra ? `<div class="behind ${extra}" style="grid-column:${LANES.indexOf(extra) + 1}">${extra === 'human' ? 'asks the user' : 'asks the model'}</div>` : '';
  return `<div class="row kind-${r.kind}${r.findings.length ? ' flagged' : ''}" data-method="${escape(method)}" data-seq="${r.seq}">
  <div class="meta">${r.seq} · +${(r.ms / 1000).toFixed(3)}s${where}${r.version ? ` · ${escape(r.era ?? '')} ${escape(r.version)}` : ''}</div>
  <div class="lanes">${note}<div class="arrow ${rightward ? 'right' : 'left'}" style="grid-column:${left} / ${right}"><span>${escape(label(r))}${r.call !== undefined && r.kind !== 'response' ? ` · call ${escape(JSON.stringify(r.call))}` : ''}</span></div></div>
  <div class="explain">${escape(r.explain)}${r.spec ? ` <cite>${escape(r.spec)}</cite>` : ''}</div>
  ${findings ? `<ul class="findings">${findings}</ul>` : ''}${payload}
</div>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:8px 16px;z-index:1}
h1{font-size:18px;margin:0 0 4px}.heads,.lanes{display:grid;grid-template-columns:repeat(4,1fr);position:relative}.heads div{text-align:center;font-weight:600}
main{padding:0 16px}.row{border-bottom:1px solid #eee;padding:4px 0}.meta{color:#777;font-size:12px}.arrow{border-bottom:2px solid #357;position:relative;text-align:center;margin:2px 12.5%}
.arrow.right:after,.arrow.left:before{content:'';position:absolute;bottom:-6px;border:5px solid transparent}.arrow.right:after{right:-2px;border-left:8px solid #357}.arrow.left:before{left:-2px;border-right:8px solid #357}
.kind-response .arrow{border-bottom-style:dashed}.kind-error .arrow{border-color:#b22}.kind-notification .arrow{border-color:#a80}.kind-http .arrow,.kind-stdio .arrow,.kind-skipped .arrow{border-color:#999;border-bottom-style:dotted}
.behind{text-align:center;font-size:12px;color:#555;background:#f3f3f3;border-radius:4px}.explain{font-size:13px}cite{color:#777}.flagged{background:#fff4f4}.findings{color:#b22;margin:2px 0}
pre{background:#f7f7f7;padding:6px;overflow:auto;max-height:300px}.hidden{display:none}`;

const SCRIPT = `const f=document.getElementById('filter');function apply(){const q=f.value.trim().toLowerCase();let n=0;for(const r of document.querySelectorAll('.row')){const show=!q||r.dataset.method.toLowerCase().includes(q);r.classList.toggle('hidden',!show);if(show)n++;}document.getElementById('shown').textContent=String(n);}f.addEventListener('input',apply);apply();`;

/** The whole page for `records`. */
export function renderTraceHtml(records: readonly TraceRecord[], options: TraceHtmlOptions = {}): string {
  const title = options.title ?? 'MCP trace';
  const messages = records.filter((r) => r.kind !== 'http' && r.kind !== 'stdio' && r.kind !== 'skipped').length;
  const skipped = records.reduce((n, r) => n + (r.skipped ?? 0), 0);
  const flagged = records.filter((r) => r.findings.length > 0).length;
  const methods = [...new Set(records.map((r) => r.method ?? r.answers).filter((m): m is string => m !== undefined))].sort();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escape(title)}</h1>
<p id="summary" data-messages="${messages}" data-records="${records.length}" data-flagged="${flagged}">${messages} messages, ${eventCount(records)}, ${flagged} flagged${skipped ? `, ${skipped} passed unanalysed` : ''} · showing <span id="shown"></span>
 · filter by method <input id="filter" list="methods" placeholder="e.g. tools/call"><datalist id="methods">${methods.map((m) => `<option value="${escape(m)}">`).join('')}</datalist></p>
<div class="heads">${LANES.map((l) => `<div>${l}</div>`).join('')}</div></header>
<main>${records.map(row).join('\n')}</main>
<script>${SCRIPT}</script></body></html>
`;
}

/** The events with no message, by transport: "3 HTTP events" or "2 stdio events". */
function eventCount(records: readonly TraceRecord[]): string {
  const stdio = records.filter((r) => r.kind === 'stdio').length;
  return stdio > 0 ? `${stdio} stdio events` : `${records.filter((r) => r.kind === 'http').length} HTTP events`;
}
