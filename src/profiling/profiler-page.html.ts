/** Self-contained (no external assets) so it works offline and under a strict CSP. */
export const PROFILER_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Venues API profiler</title>
<style>
  body { font: 13px/1.4 system-ui, sans-serif; margin: 0; color: #1d2330; display: grid; grid-template-columns: 420px 1fr; height: 100vh; }
  header { grid-column: 1 / 3; padding: 8px 12px; background: #1d2330; color: #fff; display: flex; gap: 12px; align-items: center; }
  header input { width: 280px; }
  #list { overflow: auto; border-right: 1px solid #ddd; }
  #list div { padding: 6px 10px; border-bottom: 1px solid #eee; cursor: pointer; display: grid; grid-template-columns: 48px 1fr 70px 48px; gap: 6px; }
  #list div:hover, #list div.active { background: #eef3ff; }
  .bad { color: #b00020; font-weight: 600; }
  #detail { overflow: auto; padding: 12px; }
  .row { display: grid; grid-template-columns: 260px 1fr 70px; gap: 8px; align-items: center; margin: 2px 0; }
  .label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-family: ui-monospace, monospace; font-size: 12px; }
  .track { position: relative; height: 14px; background: #f4f5f7; }
  .bar { position: absolute; top: 0; height: 14px; min-width: 2px; }
  .stage { background: #5b8def; } .query { background: #f0a030; } .tx { background: #aaa; } .wait { background: #d0453f; }
  pre { white-space: pre-wrap; background: #f4f5f7; padding: 8px; }
</style>
</head>
<body>
<header><strong>Venues API profiler</strong>
  <label>Token <input id="token" type="password" placeholder="PROFILER_TOKEN"></label>
  <button id="refresh">Refresh</button><span id="status"></span></header>
<div id="list"></div>
<div id="detail"><p>Pick a request on the left.</p></div>
<script>
const tokenInput = document.getElementById('token');
tokenInput.value = sessionStorage.getItem('profilerToken') || '';
tokenInput.addEventListener('change', () => { sessionStorage.setItem('profilerToken', tokenInput.value); load(); });
document.getElementById('refresh').addEventListener('click', load);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
async function api(path) {
  const response = await fetch(path, { headers: { 'x-profiler-token': tokenInput.value } });
  if (!response.ok) throw new Error(response.status + ' ' + ((await response.json()).detail || ''));
  return response.json();
}
async function load() {
  const status = document.getElementById('status');
  try {
    const { data } = await api('/v1/_profiler/requests');
    status.textContent = data.length + ' recent requests';
    const list = document.getElementById('list');
    list.innerHTML = data.map((p) => '<div data-id="' + esc(p.id) + '"><span class="' + (p.status >= 400 ? 'bad' : '') + '">' + p.status +
      '</span><span class="label">' + esc(p.method + ' ' + p.route) + '</span><span>' + p.totalMs.toFixed(1) + ' ms</span><span class="' +
      (p.nPlusOne || (p.budget && p.budget.exceeded) ? 'bad' : '') + '">' + p.statementCount + ' q</span></div>').join('');
    list.querySelectorAll('div').forEach((el) => el.addEventListener('click', () => show(el)));
  } catch (error) { status.textContent = String(error.message); }
}
function bar(kind, label, start, duration, total, note) {
  const left = (start / total) * 100, width = Math.max((duration / total) * 100, 0.2);
  return '<div class="row"><span class="label" title="' + esc(label) + '">' + esc(label) + '</span><div class="track"><div class="bar ' + kind +
    '" style="left:' + left + '%;width:' + width + '%"></div></div><span>' + duration.toFixed(2) + ' ms' + (note || '') + '</span></div>';
}
async function show(el) {
  document.querySelectorAll('#list div').forEach((d) => d.classList.toggle('active', d === el));
  const p = await api('/v1/_profiler/requests/' + encodeURIComponent(el.dataset.id));
  const total = Math.max(p.totalMs, 0.001);
  let html = '<h3>' + esc(p.method + ' ' + p.path) + ' → ' + p.status + '</h3><p>route ' + esc(p.route) + ' · ' + p.totalMs + ' ms · ' +
    p.statementCount + ' statements (+' + p.transactionControlCount + ' transaction control) · ' + p.sessions + ' sessions · db ' + p.dbMs +
    ' ms · cache ' + (p.cache || '-') + (p.budget ? ' · budget ' + p.budget.used + '/' + p.budget.limit : '') + '</p>';
  html += p.stages.map((s) => bar(s.name === 'pool_wait' ? 'wait' : 'stage', s.name, s.startMs, s.durationMs, total)).join('');
  html += p.checkouts.map((c) => bar('wait', 'session ' + c.session + (c.server ? ' on ' + c.server : '') + (c.queued ? ' (waited)' : ''), c.requestedMs, c.waitMs, total)).join('');
  html += p.queries.map((q) => bar(q.transactionControl ? 'tx' : 'query', q.sql, q.startMs, q.durationMs, total, q.rows === null ? '' : ' · ' + q.rows + ' rows')).join('');
  if (p.nPlusOne.length) html += '<h4 class="bad">N+1</h4>' + p.nPlusOne.map((f) => '<pre>' + f.count + '× ' + (f.parallel ? '(parallel) ' : '') + esc(f.sql) + '\\n' + esc(f.hint) + '</pre>').join('');
  document.getElementById('detail').innerHTML = html;
}
load();
</script>
</body>
</html>
`;
