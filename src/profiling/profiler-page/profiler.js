'use strict';
// The profiler page. Plain script, no framework, no build step: it runs under
// `Content-Security-Policy: default-src 'self'`, so it builds the DOM with createElement and
// textContent (every value from the JSON is data, never markup) and positions bars through the
// CSSOM (element.style), which the policy allows where a style attribute in markup would not be.

const TOKEN_KEY = 'profilerToken';
const LIST_LIMIT = 100;
const $ = (selector) => document.querySelector(selector);

const state = {
  /** Routes seen in any list answer, so the route filter keeps its options while it filters. */
  routesSeen: new Set(),
  profile: null,
  selectedQuery: null,
  /** Repeated-statement groups the user expanded, by `<request id>:<first query index>`. */
  expanded: new Set(),
};

// ---------------------------------------------------------------------------------------------
// DOM and formatting helpers

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function formatMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return String(Math.round(ms));
}

function formatCallSite(site) {
  return site ? `${site.file}:${site.line} ${site.function}` : null;
}

function showMessage(text, kind) {
  const message = $('#message');
  message.textContent = text || '';
  message.className = kind || '';
}

// ---------------------------------------------------------------------------------------------
// SQL pretty-printing: a line per clause, conditions indented, select lists one column a line.

const CLAUSE_WORDS = new Set(['SELECT', 'FROM', 'WHERE', 'HAVING', 'LIMIT', 'OFFSET', 'RETURNING', 'VALUES', 'SET', 'UNION', 'INSERT', 'UPDATE', 'DELETE']);
const JOIN_MODIFIERS = new Set(['LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS']);

function startsClause(word, previous, next) {
  if (word === 'FROM' && previous === 'DELETE') return false;
  if (word === 'UPDATE' && (previous === 'FOR' || previous === 'DO')) return false;
  if (word === 'WITH') return previous === '';
  if (CLAUSE_WORDS.has(word)) return true;
  if ((word === 'GROUP' || word === 'ORDER') && next === 'BY') return true;
  if (JOIN_MODIFIERS.has(word)) return next === 'JOIN' || next === 'OUTER';
  if (word === 'JOIN') return !JOIN_MODIFIERS.has(previous) && previous !== 'OUTER';
  if (word === 'ON') return next === 'CONFLICT';
  if (word === 'FOR') return next === 'UPDATE' || next === 'SHARE' || next === 'NO';
  return false;
}

function formatSql(sql) {
  const tokens = sql.match(/'(?:[^']|'')*'|"[^"]*"|\s+|[(),]|[^\s(),'"]+/g) || [sql];
  const isSpace = (token) => /^\s+$/.test(token);
  const words = tokens.map((token) => token.toUpperCase());
  const nextWord = (index) => {
    for (let i = index + 1; i < tokens.length; i += 1) if (!isSpace(tokens[i])) return words[i];
    return '';
  };
  // One entry per open parenthesis: whether it holds a (sub)query, and that query's current clause.
  const levels = [{ query: true, clause: '' }];
  const queryDepth = () => levels.filter((level) => level.query).length - 1;
  let out = '';
  let previous = '';
  let betweenOpen = false;
  const newline = (extraIndent) => {
    out = out.replace(/[ \t]+$/, '');
    if (out) out += `\n${'    '.repeat(queryDepth())}${'  '.repeat(extraIndent)}`;
  };
  tokens.forEach((token, index) => {
    if (isSpace(token)) {
      if (out && !/[\s(]$/.test(out)) out += ' ';
      return;
    }
    const word = words[index];
    const level = levels[levels.length - 1];
    if (token === '(') {
      const next = nextWord(index);
      levels.push({ query: next === 'SELECT' || next === 'WITH', clause: '' });
    } else if (token === ')') {
      if (levels.length > 1) levels.pop();
      out = out.replace(/\s+$/, '');
    } else if (level.query) {
      if (startsClause(word, previous, nextWord(index))) {
        newline(0);
        level.clause = word;
      } else if (word === 'BETWEEN') {
        betweenOpen = true;
      } else if (word === 'AND' && betweenOpen) {
        betweenOpen = false;
      } else if (word === 'AND' || word === 'OR') {
        newline(1);
      }
    }
    if (token === ',') out = out.replace(/\s+$/, '');
    out += token;
    if (token === ',' && level.query && level.clause === 'SELECT') newline(1);
    previous = word;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// The JSON API (guarded by the token; errors are problem details whose `detail` is shown)

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

async function api(path) {
  const response = await fetch(path, { headers: { 'x-profiler-token': token() }, cache: 'no-store' });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body && body.detail ? body.detail : `${response.status} ${response.statusText}`);
  return body;
}

// ---------------------------------------------------------------------------------------------
// Problems of a request, as badges

/** Short badge and what it stands for, per field of a profile's `problems`. */
const PROBLEMS = {
  nPlusOne: ['N+1', 'N+1 statements (batch them)'],
  duplicates: ['dup', 'duplicate statements (reuse the result)'],
  budgetExceeded: ['budget', 'query budget exceeded'],
  idleSessions: ['idle', 'sessions idle while held'],
  serverError: ['5xx', 'server error'],
};

function problemBadges(summary) {
  return Object.entries(summary.problems || {})
    .filter(([, value]) => value)
    .map(([key, value]) => {
      const [label, meaning] = PROBLEMS[key] || [key, key];
      const times = typeof value === 'number' && value > 1 ? ` ×${value}` : '';
      return el('span', { class: 'badge problem', title: `${meaning}${times}` }, `${label}${times}`);
    });
}

// ---------------------------------------------------------------------------------------------
// The list of recent requests and its filters

function readFilters() {
  return {
    route: $('#filter-route').value,
    status: $('#filter-status').value.trim(),
    minMs: $('#filter-min-ms').value.trim(),
    problems: $('#filter-problems').checked,
  };
}

function listQuery(filters) {
  const params = new URLSearchParams();
  if (filters.route) params.set('route', filters.route);
  if (filters.status) params.set('status', filters.status);
  if (filters.minMs) params.set('minMs', filters.minMs);
  if (filters.problems) params.set('problems', 'true');
  params.set('limit', String(LIST_LIMIT));
  return params.toString();
}

function updateRouteOptions(summaries) {
  for (const summary of summaries) state.routesSeen.add(summary.route);
  const select = $('#filter-route');
  const chosen = select.value;
  select.replaceChildren(
    el('option', { value: '' }, 'all routes'),
    [...state.routesSeen].sort().map((route) => el('option', { value: route, selected: route === chosen }, route)),
  );
}

function statusClassName(status) {
  if (status >= 500) return 'status s5';
  if (status >= 400) return 'status s4';
  return 'status';
}

function renderList(summaries) {
  const current = requestIdFromHash();
  const rows = summaries.map((summary) =>
    el(
      'tr',
      { dataset: { id: summary.id }, class: summary.id === current ? 'active' : '', onclick: () => (location.hash = `#/${encodeURIComponent(summary.id)}`) },
      el('td', { class: statusClassName(summary.status) }, summary.status),
      el('td', { class: 'request', title: summary.path }, el('span', { class: 'method' }, summary.method), ' ', summary.route),
      el('td', { class: 'num' }, formatMs(summary.totalMs)),
      el('td', { class: 'num' }, summary.statementCount),
      el('td', { class: 'num' }, summary.sessions),
      el('td', { class: 'badges' }, problemBadges(summary)),
    ),
  );
  const body = $('#requests tbody');
  body.replaceChildren(...rows);
  if (rows.length === 0) body.append(el('tr', { class: 'empty' }, el('td', { colspan: 6 }, 'No recorded request matches.')));
}

async function loadList() {
  if (!token()) {
    showMessage('Enter the profiler token (PROFILER_TOKEN, or the one printed at start-up).', 'error');
    return;
  }
  try {
    const { data } = await api(`/v1/_profiler/requests?${listQuery(readFilters())}`);
    updateRouteOptions(data);
    renderList(data);
    showMessage(`${data.length} request${data.length === 1 ? '' : 's'}`);
  } catch (error) {
    showMessage(error.message, 'error');
  }
}

// ---------------------------------------------------------------------------------------------
// Deep links: #/<request id>

function requestIdFromHash() {
  const match = /^#\/(.+)$/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

async function openFromHash() {
  const id = requestIdFromHash();
  for (const row of document.querySelectorAll('#requests tbody tr')) row.classList.toggle('active', row.dataset.id === id);
  if (!id) {
    $('#detail').replaceChildren(el('p', { class: 'hint' }, 'Pick a request.'));
    return;
  }
  showView('requests');
  if (!token()) {
    showMessage('Enter the profiler token to open this request.', 'error');
    return;
  }
  try {
    const profile = await api(`/v1/_profiler/requests/${encodeURIComponent(id)}`);
    if (requestIdFromHash() !== id) return; // the user moved on while it loaded
    state.profile = profile;
    state.selectedQuery = null;
    renderDetail();
  } catch (error) {
    $('#detail').replaceChildren(el('p', { class: 'error' }, error.message));
  }
}

// ---------------------------------------------------------------------------------------------
// The detail of one request

function renderDetail() {
  const p = state.profile;
  const budget = p.budget
    ? el('span', { class: p.budget.exceeded ? 'problem' : '' }, `budget ${p.budget.used}/${p.budget.limit}${p.budget.reason ? ` (${p.budget.reason})` : ''}`)
    : null;
  const facts = [
    `${formatMs(p.totalMs)} ms`,
    `${p.statementCount} statements${p.transactionControlCount ? ` + ${p.transactionControlCount} transaction control` : ''}`,
    `${p.sessions} session${p.sessions === 1 ? '' : 's'}`,
    `db ${formatMs(p.dbMs)} ms`,
    `pool wait ${formatMs(p.poolWaitMs)} ms`,
    p.cache ? `cache ${p.cache}` : null,
    budget,
    p.droppedQueries ? el('span', { class: 'problem' }, `${p.droppedQueries} statements not recorded`) : null,
  ].filter(Boolean);
  $('#detail').replaceChildren(
    el(
      'h2',
      null,
      el('span', { class: statusClassName(p.status) }, p.status),
      ' ',
      el('span', { class: 'method' }, p.method),
      ' ',
      p.path,
      ' ',
      el('span', { class: 'muted' }, `${p.route} · ${new Date(p.startedAt).toLocaleTimeString()} · ${p.id}`),
    ),
    el('p', { class: 'facts' }, facts.flatMap((fact, index) => (index ? [' · ', fact] : [fact]))),
    el('div', { id: 'waterfall' }, renderWaterfall(p)),
    renderFindings(p),
    el('section', { id: 'statement' }, el('p', { class: 'hint' }, 'Click a statement for its SQL, call site and plan.')),
  );
}

function refreshWaterfall() {
  $('#waterfall').replaceChildren(renderWaterfall(state.profile));
}

/** A tick step of 1, 2 or 5 × 10^k giving at most about six ticks, so labels never touch. */
function tickStep(total) {
  const rough = total / 6;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((factor) => factor * magnitude).find((step) => step >= rough);
}

function renderWaterfall(p) {
  const ends = [
    ...p.stages.map((stage) => stage.startMs + stage.durationMs),
    ...p.queries.map((query) => query.startMs + query.durationMs),
    ...p.checkouts.map((checkout) => checkout.releasedMs || 0),
  ];
  const scale = Math.max(p.totalMs, ...ends, 0.001);
  const percent = (ms) => `${Math.min(Math.max((ms / scale) * 100, 0), 100)}%`;
  const step = tickStep(scale);
  const fragment = document.createDocumentFragment();

  const bar = (className, startMs, durationMs, title) => {
    const node = el('div', { class: `bar ${className}`, title });
    node.style.left = percent(startMs);
    node.style.width = percent(durationMs);
    return node;
  };
  const row = ({ className, depth, label, title, bars, note, onclick, dataset }) =>
    el(
      'div',
      { class: `row depth-${depth} ${className || ''}`, onclick, dataset },
      el('div', { class: 'label', title: title || undefined }, label),
      el('div', { class: 'track' }, bars),
      el('div', { class: 'note' }, note),
    );

  const axis = el('div', { class: 'track axis' });
  // A label too close to the right edge would be cut off; its grid line still shows.
  for (let ms = 0; ms / scale <= 0.94; ms += step) {
    const tick = el('span', { class: 'tick' }, `${+ms.toPrecision(6)} ms`);
    tick.style.left = percent(ms);
    axis.append(tick);
  }
  fragment.append(el('div', { class: 'row axis-row' }, el('div', { class: 'label muted' }, 'stage / statement'), axis, el('div', { class: 'note muted' }, 'ms')));
  // Grid lines every tick, drawn by each track's background (see .track in profiler.css).
  document.documentElement.style.setProperty('--tick-size', `${(step / scale) * 100}%`);

  const queriesByStage = assignQueriesToStages(p);
  const stageDepth = (stage) =>
    p.stages.filter((other) => other !== stage && other.startMs <= stage.startMs && other.startMs + other.durationMs >= stage.startMs + stage.durationMs && !(other.startMs === stage.startMs && other.durationMs === stage.durationMs)).length;

  const sections = [...p.stages.map((stage) => ({ stage, depth: Math.min(stageDepth(stage), 3) })), { stage: null, depth: 0 }];
  for (const { stage, depth } of sections) {
    const queries = queriesByStage.get(stage) || [];
    if (stage) {
      fragment.append(
        row({ className: `stage${stage.name === 'pool_wait' ? ' wait' : ''}`, depth, label: stage.name, bars: bar(stage.name === 'pool_wait' ? 'wait' : 'stage', stage.startMs, stage.durationMs), note: formatMs(stage.durationMs) }),
      );
    } else if (queries.length) {
      fragment.append(row({ className: 'stage', depth, label: 'outside any stage', bars: [], note: '' }));
    }
    for (const group of groupRepeats(p, queries)) fragment.append(...renderGroup(p, group, depth + 1, bar, row));
  }

  if (p.checkouts.length) fragment.append(el('div', { class: 'row lane-heading' }, el('div', { class: 'label muted' }, 'database sessions'), el('div'), el('div')));
  for (const checkout of p.checkouts) fragment.append(renderLane(p, checkout, bar, row, scale));
  return fragment;
}

/** Each statement under the stage it ran in: the one of that name whose span holds its start. */
function assignQueriesToStages(p) {
  const byStage = new Map();
  p.queries.forEach((query, index) => {
    const named = p.stages.filter((stage) => stage.name === query.stage);
    const stage =
      named.find((candidate) => query.startMs >= candidate.startMs - 0.01 && query.startMs <= candidate.startMs + candidate.durationMs + 0.01) || named[0] || null;
    if (!byStage.has(stage)) byStage.set(stage, []);
    byStage.get(stage).push(index);
  });
  return byStage;
}

/**
 * Repeated statements collapse into one group: the runs a finding names, or consecutive runs of
 * the same statement. Returns groups of query indexes, each with its finding if any.
 */
function groupRepeats(p, queryIndexes) {
  const findingOf = new Map();
  for (const finding of p.findings || []) for (const index of finding.queries || []) findingOf.set(index, finding);
  const groups = [];
  for (const index of queryIndexes) {
    const finding = findingOf.get(index);
    const last = groups[groups.length - 1];
    const sameFinding = finding && groups.find((group) => group.finding === finding);
    if (sameFinding) sameFinding.queries.push(index);
    else if (!finding && last && !last.finding && p.queries[last.queries[0]].statement === p.queries[index].statement) last.queries.push(index);
    else groups.push({ finding: finding || null, queries: [index] });
  }
  return groups;
}

function queryBarClass(query) {
  if (query.error) return 'error';
  return query.transactionControl ? 'tx' : 'query';
}

function renderQueryRow(p, index, depth, bar, row, className) {
  const query = p.queries[index];
  const rows = query.rows === null || query.rows === undefined ? '' : ` · ${query.rows} rows`;
  return row({
    className: `statement ${className || ''}${state.selectedQuery === index ? ' selected' : ''}`,
    depth,
    label: query.sql,
    title: query.sql,
    bars: bar(queryBarClass(query), query.startMs, query.durationMs),
    note: `${formatMs(query.durationMs)}${rows}`,
    dataset: { query: index },
    onclick: () => selectQuery(index),
  });
}

function renderGroup(p, group, depth, bar, row) {
  if (group.queries.length === 1) return [renderQueryRow(p, group.queries[0], depth, bar, row)];
  const first = p.queries[group.queries[0]];
  const key = `${p.id}:${group.queries[0]}`;
  const expanded = state.expanded.has(key);
  const summedMs = group.queries.reduce((sum, index) => sum + p.queries[index].durationMs, 0);
  const finding = group.finding;
  const flagged = finding && !finding.allowed;
  const kind = finding ? (finding.kind === 'duplicate' ? 'duplicate' : 'N+1') : null;
  const header = row({
    className: `group${flagged ? ' problem' : ''}${expanded ? ' expanded' : ''}`,
    depth,
    label: [
      el('span', { class: 'toggle' }, expanded ? '▾' : '▸'),
      el('span', { class: 'count' }, `×${group.queries.length}`),
      kind ? el('span', { class: `badge${flagged ? ' problem' : ' allowed'}` }, kind) : null,
      ' ',
      first.sql,
    ],
    title: first.sql,
    bars: group.queries.map((index) => bar(`${queryBarClass(p.queries[index])}${flagged ? ' repeat' : ''}`, p.queries[index].startMs, p.queries[index].durationMs)),
    note: `${formatMs(summedMs)} in all`,
    dataset: { group: key },
    onclick: () => {
      if (expanded) state.expanded.delete(key);
      else state.expanded.add(key);
      selectQuery(group.queries[0]);
    },
  });
  if (!expanded) return [header];
  return [header, ...group.queries.map((index) => renderQueryRow(p, index, depth + 1, bar, row, 'member'))];
}

function renderLane(p, checkout, bar, row, scale) {
  const acquiredMs = checkout.acquiredMs ?? checkout.requestedMs + checkout.waitMs;
  const released = checkout.releasedMs !== undefined && checkout.releasedMs !== null;
  const heldMs = checkout.heldMs ?? (released ? checkout.releasedMs : scale) - acquiredMs;
  const inSession = p.queries.filter((query) => query.session === checkout.session);
  const notes = [`held ${formatMs(heldMs)}`];
  if (checkout.idleMs !== undefined) notes.push(`idle ${formatMs(checkout.idleMs)}`);
  return row({
    className: `lane${checkout.idleFlagged ? ' problem' : ''}`,
    depth: 0,
    label: [
      `session ${checkout.session}`,
      checkout.server ? el('span', { class: 'muted' }, ` · ${checkout.server}`) : null,
      checkout.queued ? el('span', { class: 'badge problem' }, 'waited') : null,
      checkout.idleFlagged ? el('span', { class: 'badge problem', title: 'Idle while held: Node work done while holding the connection' }, 'idle') : null,
      released ? null : el('span', { class: 'badge', title: 'Still held when the response headers went out' }, 'held to the end'),
    ],
    bars: [
      bar('wait', checkout.requestedMs, checkout.waitMs, `waited ${formatMs(checkout.waitMs)} ms for a connection`),
      bar(`held${checkout.idleFlagged ? ' idle' : ''}`, acquiredMs, heldMs, `held ${formatMs(heldMs)} ms`),
      inSession.map((query) => bar('in-statement', query.startMs, query.durationMs, query.sql)),
    ],
    note: notes.join(' · '),
  });
}

// ---------------------------------------------------------------------------------------------
// Findings

function renderFindings(p) {
  const findings = p.findings || [];
  if (!findings.length) return el('section', { id: 'findings' });
  return el(
    'section',
    { id: 'findings' },
    el('h3', null, 'Repeated statements'),
    findings.map((finding) => {
      const nPlusOne = finding.kind !== 'duplicate';
      const relation = finding.relation ? `${finding.relation.entity}.${finding.relation.property}${finding.relation.target ? ` → ${finding.relation.target}` : ''}` : null;
      return el(
        'div',
        { class: `finding${finding.allowed ? ' allowed' : ' problem'}`, onclick: () => finding.queries && finding.queries.length && selectQuery(finding.queries[0]) },
        el(
          'div',
          { class: 'finding-head' },
          el('span', { class: `badge${finding.allowed ? ' allowed' : ' problem'}` }, nPlusOne ? 'N+1 — batch' : 'duplicate — reuse the result'),
          ` ×${finding.count}`,
          nPlusOne && finding.distinctValues ? ` (${finding.distinctValues} distinct values)` : '',
          finding.parallel ? el('span', { class: 'badge' }, 'parallel') : el('span', { class: 'badge' }, 'sequential'),
          relation ? el('code', null, relation) : null,
          finding.callSite ? el('code', { class: 'callsite' }, formatCallSite(finding.callSite.at)) : null,
        ),
        el('div', { class: 'sql-line', title: finding.sql }, finding.sql),
        finding.fix ? el('div', { class: 'fix' }, finding.fix) : null,
        finding.allowed ? el('div', { class: 'muted' }, `allowed: ${finding.allowed}`) : null,
      );
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The statement panel: SQL, copy, call site, EXPLAIN

function selectQuery(index) {
  state.selectedQuery = index;
  refreshWaterfall();
  renderStatement(state.profile, index);
}

function renderStatement(p, index) {
  const query = p.queries[index];
  const statement = (p.statements || []).find((candidate) => candidate.index === query.statement);
  const pretty = formatSql(query.sql);
  const sql = el('pre', { class: 'sql' }, pretty);
  const copy = el('button', { type: 'button' }, 'Copy');
  copy.addEventListener('click', () => copySql(pretty, sql, copy));
  const plan = el('div', { class: 'plan' });
  const explainable = !statement || statement.explainable !== false;
  const explain = el('button', { type: 'button', id: 'explain', disabled: !explainable, title: explainable ? undefined : 'Not explainable (transaction control or a write)' }, 'EXPLAIN');
  explain.addEventListener('click', () => loadPlan(p.id, query.statement, plan));
  const site = query.callSite;
  $('#statement').replaceChildren(
    el(
      'div',
      { class: 'statement-head' },
      el('h3', null, `Statement ${query.statement}`),
      el(
        'span',
        { class: 'muted' },
        `stage ${query.stage} · session ${query.session ?? '–'} · ${formatMs(query.durationMs)} ms`,
        statement ? ` · ran ${statement.count}× here, ${formatMs(statement.totalMs)} ms in all` : '',
      ),
      copy,
      explain,
    ),
    sql,
    el(
      'dl',
      { class: 'callsite' },
      el('dt', null, 'called at'),
      el('dd', null, site ? el('code', null, formatCallSite(site.at)) : el('span', { class: 'muted' }, 'not captured')),
      site && site.caller ? [el('dt', null, 'caller'), el('dd', null, el('code', null, formatCallSite(site.caller)))] : null,
      query.allowedRepeat ? [el('dt', null, 'repeat allowed'), el('dd', { class: 'muted' }, query.allowedRepeat)] : null,
      query.error ? [el('dt', null, 'error'), el('dd', { class: 'problem' }, query.error)] : null,
    ),
    plan,
  );
}

async function copySql(text, pre, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    // No clipboard API outside secure contexts (plain http to another host): select it instead.
    const range = document.createRange();
    range.selectNodeContents(pre);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    button.textContent = 'Selected: press Ctrl+C';
  }
}

async function loadPlan(requestId, statementIndex, container) {
  container.replaceChildren(el('p', { class: 'muted' }, 'Planning…'));
  try {
    const answer = await api(`/v1/_profiler/requests/${encodeURIComponent(requestId)}/statements/${statementIndex}/plan`);
    const root = answer.plan && answer.plan.Plan ? answer.plan.Plan : answer.plan;
    container.replaceChildren(
      el('h4', null, `Plan${answer.generic ? ' (generic: no recorded values)' : ''}`),
      el('ul', { class: 'plan-tree' }, renderPlanNode(root)),
    );
  } catch (error) {
    container.replaceChildren(el('p', { class: 'error' }, error.message));
  }
}

function renderPlanNode(node) {
  const target = [
    node['Relation Name'] ? ` on ${node['Relation Name']}${node.Alias && node.Alias !== node['Relation Name'] ? ` ${node.Alias}` : ''}` : '',
    node['Index Name'] ? ` using ${node['Index Name']}` : '',
  ].join('');
  const condition = node['Index Cond'] || node.Filter || node['Hash Cond'] || node['Join Filter'] || node['Recheck Cond'];
  return el(
    'li',
    null,
    el('span', { class: 'node-type' }, node['Node Type']),
    target,
    el('span', { class: 'muted' }, ` cost ${node['Total Cost']} · rows ${node['Plan Rows']}`),
    condition ? el('div', { class: 'condition' }, condition) : null,
    node.Plans && node.Plans.length ? el('ul', null, node.Plans.map(renderPlanNode)) : null,
  );
}

// ---------------------------------------------------------------------------------------------
// Per-route summary

async function loadRoutes() {
  try {
    const { data } = await api('/v1/_profiler/routes');
    const rows = data.map((route) =>
      el(
        'tr',
        null,
        el('td', { class: 'request' }, el('span', { class: 'method' }, route.method), ' ', route.route),
        el('td', { class: 'num' }, route.requests),
        el('td', { class: 'num' }, formatMs(route.totalMs.p50)),
        el('td', { class: 'num' }, formatMs(route.totalMs.p95)),
        el('td', { class: 'num' }, route.statements.p50),
        el('td', { class: 'num' }, route.statements.p95),
        el(
          'td',
          { class: 'top' },
          route.topStatements.map((top) =>
            el('details', null, el('summary', { title: top.sql }, el('span', { class: 'num' }, `${formatMs(top.totalMs)} ms ×${top.count}`), ' ', top.sql), el('pre', { class: 'sql' }, formatSql(top.sql))),
          ),
        ),
      ),
    );
    $('#routes tbody').replaceChildren(...rows);
    if (!rows.length) $('#routes tbody').append(el('tr', { class: 'empty' }, el('td', { colspan: 7 }, 'No recorded request yet.')));
    showMessage(`${rows.length} route${rows.length === 1 ? '' : 's'}`);
  } catch (error) {
    showMessage(error.message, 'error');
  }
}

function showView(name) {
  $('#requests-view').hidden = name !== 'requests';
  $('#routes-view').hidden = name !== 'routes';
  $('#tab-requests').classList.toggle('active', name === 'requests');
  $('#tab-routes').classList.toggle('active', name === 'routes');
}

function currentView() {
  return $('#routes-view').hidden ? 'requests' : 'routes';
}

function refresh() {
  if (currentView() === 'routes') return loadRoutes();
  return loadList().then(() => requestIdFromHash() && !state.profile && openFromHash());
}

// ---------------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('#token').value = token();
  $('#token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('#token').value);
    refresh();
  });
  $('#refresh').addEventListener('click', refresh);
  $('#filters').addEventListener('change', loadList);
  $('#filters').addEventListener('submit', (event) => {
    event.preventDefault();
    loadList();
  });
  $('#tab-requests').addEventListener('click', () => {
    showView('requests');
    loadList();
  });
  $('#tab-routes').addEventListener('click', () => {
    showView('routes');
    loadRoutes();
  });
  window.addEventListener('hashchange', openFromHash);
  if (token()) loadList();
  else showMessage('Enter the profiler token (PROFILER_TOKEN, or the one printed at start-up).');
  openFromHash();
});
