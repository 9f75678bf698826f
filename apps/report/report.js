// boex report: draws the page from the JSON in #boex-data (report_model.cpp) with Plotly when
// the build embedded it. Marks #boex-report with data-plots (plots drawn), data-rendered and
// data-render-ms (time from navigation until the plots were drawn).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('boex-data').textContent);
  var root = document.getElementById('boex-report');
  var hasPlotly = typeof window.Plotly !== 'undefined';
  var study = data.study, trials = data.trials, model = data.model;
  var pending = [];
  var plotCount = 0;
  var palette = ['#3b6fd6', '#e07b39', '#2e9e6a', '#b8437a', '#7a5bc7', '#a08a1e'];

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function section(title, note) {
    var s = el('section');
    s.appendChild(el('h2', null, title));
    if (note) s.appendChild(el('p', 'note', note));
    root.appendChild(s);
    return s;
  }
  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    var a = Math.abs(v);
    return (a !== 0 && (a < 1e-3 || a >= 1e5)) ? v.toExponential(3) : v.toPrecision(5).replace(/\.?0+$/, '');
  }
  function facts(parent, pairs) {
    var box = el('div', 'facts');
    pairs.forEach(function (p) {
      var d = el('div');
      d.appendChild(el('span', null, p[0] + ':'));
      d.appendChild(document.createTextNode(p[1]));
      box.appendChild(d);
    });
    parent.appendChild(box);
  }
  function paramsText(params) {
    return Object.keys(params).map(function (k) { return k + '=' + fmt(params[k]); }).join(', ');
  }
  function plot(parent, traces, layout) {
    if (!hasPlotly) return;
    var div = el('div', 'plot');
    parent.appendChild(div);
    var base = { margin: { l: 60, r: 20, t: 36, b: 48 }, height: 340, font: { size: 11 },
                 paper_bgcolor: '#fff', plot_bgcolor: '#fff', showlegend: true, legend: { orientation: 'h', y: -0.2 } };
    for (var k in layout) base[k] = layout[k];
    plotCount += 1;
    pending.push(Plotly.newPlot(div, traces, base, { displaylogo: false, responsive: true }));
  }
  function axis(title, extra) {
    var a = { title: { text: title }, zeroline: false, gridcolor: '#eceff3' };
    for (var k in extra) a[k] = extra[k];
    return a;
  }
  function parameter(name) {
    return study.parameters.filter(function (p) { return p.name === name; })[0];
  }

  // Header: the study and its state.
  var head = section('Study ' + study.name);
  var counts = study.counts;
  facts(head, [['direction', study.direction], ['strategy', study.strategy], ['trials', String(study.n_trials)],
               ['complete', String(counts.complete)], ['failed', String(counts.failed)],
               ['running', String(counts.running)], ['waiting', String(counts.waiting)],
               ['constraints', String(study.n_constraints)], ['generated', study.generated]]);
  if (data.target !== null) head.appendChild(el('p', 'note', 'Target study: the told value should hit ' + fmt(data.target) + '.'));
  if (!hasPlotly) {
    var w = section('Plots are missing from this build');
    w.className = 'warning';
    w.appendChild(el('p', null, 'This boex was built without Plotly (npm was not available when it was configured), so ' +
                                 'this report has no plots. Install nodejs and npm and rebuild boex to get them.'));
  }

  var n = trials.number.length;
  if (n === 0) {
    var empty = section('No trials yet');
    var p = el('p', 'empty', 'No trials yet: study "' + study.name + '" has no trials. Ask for some (boex ask), ' +
                             'tell their results, and run boex report again.');
    p.id = 'boex-empty';
    empty.appendChild(p);
    finish();
    return;
  }

  var bestIndex = -1;
  for (var i = 0; i < n; ++i) if (trials.feasible[i] && trials.value[i] === trials.best[n - 1]) { bestIndex = i; break; }
  if (bestIndex >= 0) {
    var params = {};
    Object.keys(trials.params).forEach(function (k) { params[k] = trials.params[k][bestIndex]; });
    facts(head, [['best trial', '#' + trials.number[bestIndex] + ', value ' + fmt(trials.value[bestIndex])],
                 ['at', paramsText(params)]]);
  } else {
    head.appendChild(el('p', 'note', 'No feasible complete trial yet.'));
  }
  if (model.available) {
    facts(head, [['recommended (best posterior mean)', '#' + model.recommended.number + ', mean ' +
                  fmt(model.recommended.mean) + ', observed ' + fmt(model.recommended.value)],
                 ['at', paramsText(model.recommended.params)]]);
  }

  // History and best so far.
  var fid = study.fidelity;
  var hist = section('History', 'Every complete trial by number (feasible, infeasible) and the best feasible value so far' +
                     (fid ? ' at the target fidelity (' + fid.name + ' = ' + fmt(fid.target) + '); feasible trials are ' +
                            'coloured by their fidelity.' : '.'));
  var feasX = [], feasY = [], feasF = [], infX = [], infY = [];
  for (i = 0; i < n; ++i) {
    if (trials.value[i] === null || trials.state[i] !== 'complete') continue;
    if (trials.feasible[i]) {
      feasX.push(trials.number[i]); feasY.push(trials.value[i]);
      if (fid) feasF.push(trials.params[fid.name][i]);
    } else { infX.push(trials.number[i]); infY.push(trials.value[i]); }
  }
  var many = n > 2000;
  var feasMarker = { color: palette[0], size: many ? 3 : 6 };
  if (fid) feasMarker = { color: feasF, colorscale: 'Viridis', showscale: true, size: many ? 3 : 6,
                          colorbar: { title: { text: fid.name } } };
  plot(hist, [
    { x: feasX, y: feasY, mode: 'markers', type: 'scatter', name: 'feasible', marker: feasMarker },
    { x: infX, y: infY, mode: 'markers', type: 'scatter', name: 'infeasible', marker: { color: '#999', symbol: 'x', size: many ? 3 : 7 } },
    { x: trials.number, y: trials.best, mode: 'lines', type: 'scatter', name: fid ? 'best so far at the target' : 'best so far',
      line: { color: palette[1], width: 2, shape: 'hv' } }
  ], { title: { text: 'Objective by trial' }, xaxis: axis('trial'), yaxis: axis('value') });
  if (trials.cost) {
    var cumulative = [], total = 0;
    for (i = 0; i < n; ++i) { total += trials.cost[i] || 0; cumulative.push(total); }
    plot(hist, [{ x: cumulative, y: trials.best, mode: 'lines', type: 'scatter', name: 'best so far',
                  line: { color: palette[1], width: 2, shape: 'hv' } }],
         { title: { text: 'Best so far against cumulative cost' }, xaxis: axis('cumulative cost'), yaxis: axis('best value') });
  }

  // Parallel coordinates, drawn as lines over normalised axes (SVG: no WebGL needed).
  var pc = section('Parallel coordinates', 'Each complete trial is a line through its parameters (scaled to their ranges; ' +
                   'log parameters on a log scale) and its value; colour bands by value quantile, best band darkest.');
  // One axis per float/int/categorical parameter and per site of a sequence (its letters in
  // alphabet order).
  var axes = [];
  study.parameters.forEach(function (q) {
    if (q.type !== 'sequence') { axes.push({ name: q.name, q: q, site: -1 }); return; }
    for (var j = 0; j < q.length; ++j) axes.push({ name: q.length > 1 ? q.name + '[' + (j + 1) + ']' : q.name, q: q, site: j });
  });
  var names = study.parameters.map(function (q) { return q.name; });
  var axisNames = axes.map(function (a) { return a.name; });
  var rows = [];
  for (i = 0; i < n; ++i) if (trials.value[i] !== null && trials.state[i] === 'complete') rows.push(i);
  if (rows.length > 0) {
    var values = rows.map(function (r) { return trials.value[r]; });
    var vmin = values.reduce(function (a, b) { return Math.min(a, b); }), vmax = values.reduce(function (a, b) { return Math.max(a, b); });
    var scale = function (a, v) {
      var q = a.q;
      if (v === null) return null;
      if (a.site >= 0) return q.alphabet.length > 1 ? q.alphabet.indexOf(v.charAt(a.site)) / (q.alphabet.length - 1) : 0.5;
      if (q.type === 'categorical') return q.choices.length > 1 ? q.choices.indexOf(v) / (q.choices.length - 1) : 0.5;
      if (q.high === q.low) return 0.5;
      if (q.log) return (Math.log(v) - Math.log(q.low)) / (Math.log(q.high) - Math.log(q.low));
      return (v - q.low) / (q.high - q.low);
    };
    // Rank of each row by value (0 smallest), by one sort rather than a search per row.
    var order = rows.map(function (_, k) { return k; }).sort(function (a, b) { return values[a] - values[b]; });
    var rankOf = new Array(rows.length);
    order.forEach(function (k, position) { rankOf[k] = position; });
    var bands = 5, traces = [];
    var better = study.direction === 'maximize' ? -1 : 1;
    for (var b = 0; b < bands; ++b) traces.push({ x: [], y: [], mode: 'lines', type: 'scatter', hoverinfo: 'skip',
      name: 'quantile ' + (b + 1), line: { width: 1, color: 'rgba(59,111,214,' + (0.9 - 0.17 * b).toFixed(2) + ')' } });
    rows.forEach(function (r, k) {
      var v = trials.value[r];
      var rank = rankOf[k] / Math.max(1, rows.length - 1);
      if (better < 0) rank = 1 - rank;
      var t = traces[Math.min(bands - 1, Math.floor(rank * bands))];
      axes.forEach(function (a, k) { t.x.push(k); t.y.push(scale(a, trials.params[a.q.name][r])); });
      t.x.push(axisNames.length); t.y.push(vmax > vmin ? (v - vmin) / (vmax - vmin) : 0.5);
      t.x.push(null); t.y.push(null);
    });
    var ticks = axisNames.concat(['value']);
    var annotations = [];
    axes.forEach(function (a, k) {
      var q = a.q;
      var lo = a.site >= 0 ? q.alphabet.charAt(0) : q.type === 'categorical' ? q.choices[0] : fmt(q.low);
      var hi = a.site >= 0 ? q.alphabet.charAt(q.alphabet.length - 1)
                           : q.type === 'categorical' ? q.choices[q.choices.length - 1] : fmt(q.high);
      annotations.push({ x: k, y: -0.04, text: String(lo), showarrow: false, yanchor: 'top', font: { size: 9 } });
      annotations.push({ x: k, y: 1.04, text: String(hi), showarrow: false, yanchor: 'bottom', font: { size: 9 } });
    });
    annotations.push({ x: axisNames.length, y: -0.04, text: fmt(vmin), showarrow: false, yanchor: 'top', font: { size: 9 } });
    annotations.push({ x: axisNames.length, y: 1.04, text: fmt(vmax), showarrow: false, yanchor: 'bottom', font: { size: 9 } });
    plot(pc, traces.reverse(), { height: 380, showlegend: false, annotations: annotations,
      xaxis: { tickvals: ticks.map(function (_, k) { return k; }), ticktext: ticks, showgrid: true, gridcolor: '#bbb', zeroline: false },
      yaxis: { range: [-0.12, 1.12], showticklabels: false, showgrid: false, zeroline: false } });
  }

  // The GP's view: importance, one- and two-parameter slices through the recommended point.
  var ms = section('Model', model.available
    ? 'A GP (' + model.kernel + ' kernel) fitted to ' + model.fitted_on + ' of ' + model.complete + ' complete trials' +
      (model.fitted_on < model.complete ? ' (the best quarter and an even spread of the rest)' : '') +
      '; slices pass through the recommended point, bands are the posterior mean \u00b1 2 sd.' +
      (model.fell_back ? ' The hyperparameter fit fell back to its prior mode.' : '')
    : 'No model: ' + model.reason + '.');
  if (model.available) {
    if (model.importance.length) {
      var imp = model.importance.slice().sort(function (a, b) { return a.weight - b.weight; });
      plot(ms, [{ type: 'bar', orientation: 'h', x: imp.map(function (e) { return e.weight; }),
                  y: imp.map(function (e) { return e.parameter; }), marker: { color: palette[2] }, name: 'importance' }],
           { title: { text: 'Parameter importance (inverse lengthscales, normalised)' }, showlegend: false,
             height: Math.max(220, 60 + 28 * imp.length), xaxis: axis('share'), yaxis: { automargin: true } });
    }
    var grid = el('div', 'grid');
    ms.appendChild(grid);
    model.slices.forEach(function (s) {
      var upper = s.mean.map(function (m, k) { return m + 2 * s.sd[k]; });
      var lower = s.mean.map(function (m, k) { return m - 2 * s.sd[k]; });
      var at = s.recommended !== undefined ? s.recommended : model.recommended.params[s.parameter];
      var traces;
      if (s.type === 'categorical') {
        traces = [{ type: 'bar', x: s.x, y: s.mean, name: 'mean', marker: { color: s.x.map(function (c) { return c === at ? palette[1] : palette[0]; }) },
                    error_y: { type: 'data', array: s.sd.map(function (d) { return 2 * d; }), visible: true } }];
      } else {
        traces = [
          { x: s.x, y: upper, mode: 'lines', type: 'scatter', line: { width: 0 }, hoverinfo: 'skip', showlegend: false },
          { x: s.x, y: lower, mode: 'lines', type: 'scatter', fill: 'tonexty', fillcolor: 'rgba(59,111,214,0.2)',
            line: { width: 0 }, name: '\u00b1 2 sd' },
          { x: s.x, y: s.mean, mode: 'lines', type: 'scatter', line: { color: palette[0], width: 2 }, name: 'mean' },
          { x: [at], y: [model.recommended.mean], mode: 'markers', type: 'scatter', name: 'recommended',
            marker: { color: palette[1], size: 9 } }];
      }
      plot(grid, traces, { title: { text: s.parameter }, height: 300, showlegend: false,
                           xaxis: axis(s.parameter, s.log ? { type: 'log' } : {}), yaxis: axis('posterior mean') });
    });
    if (model.contour) {
      var c = model.contour, nx = c.x.length;
      var reshape = function (flat) {
        var z = [];
        for (var j = 0; j < c.y.length; ++j) z.push(flat.slice(j * nx, (j + 1) * nx));
        return z;
      };
      var mark = { x: [model.recommended.params[c.x_parameter]], y: [model.recommended.params[c.y_parameter]], mode: 'markers',
                   type: 'scatter', name: 'recommended', marker: { color: '#fff', size: 10, line: { color: '#000', width: 2 } } };
      var both = el('div', 'grid');
      ms.appendChild(both);
      var xlog = parameter(c.x_parameter).log, ylog = parameter(c.y_parameter).log;
      [['posterior mean', c.mean, 'Viridis'], ['posterior sd', c.sd, 'Cividis']].forEach(function (e) {
        plot(both, [{ type: 'contour', x: c.x, y: c.y, z: reshape(e[1]), colorscale: e[2], name: e[0],
                      contours: { coloring: 'heatmap' }, colorbar: { thickness: 12 } }, mark],
             { title: { text: e[0] + ': ' + c.x_parameter + ' \u00d7 ' + c.y_parameter }, height: 380, showlegend: false,
               xaxis: axis(c.x_parameter, xlog ? { type: 'log' } : {}), yaxis: axis(c.y_parameter, ylog ? { type: 'log' } : {}) });
      });
    }
  }

  // Feasibility by constraint.
  if (study.n_constraints > 0) {
    var fs = section('Feasibility', 'Share of complete trials that satisfy each constraint (c \u2264 0), and each constraint by trial.');
    var shares = [], labels = [], scatter = [];
    for (var k = 0; k < study.n_constraints; ++k) {
      var col = trials.constraints[k], ok = 0, seen = 0, xs = [], ys = [];
      for (i = 0; i < n; ++i) {
        if (trials.state[i] !== 'complete' || col[i] === null) continue;
        seen += 1; ok += col[i] <= 0 ? 1 : 0;
        xs.push(trials.number[i]); ys.push(col[i]);
      }
      labels.push('c' + k); shares.push(seen ? ok / seen : 0);
      scatter.push({ x: xs, y: ys, mode: 'markers', type: 'scatter', name: 'c' + k, marker: { size: many ? 3 : 6, color: palette[k % palette.length] } });
    }
    var allOk = 0, complete = 0;
    for (i = 0; i < n; ++i) if (trials.state[i] === 'complete') { complete += 1; allOk += trials.feasible[i] ? 1 : 0; }
    labels.push('all'); shares.push(complete ? allOk / complete : 0);
    var sub = el('div', 'grid');
    fs.appendChild(sub);
    plot(sub, [{ type: 'bar', x: labels, y: shares, marker: { color: palette[2] }, name: 'feasible share' }],
         { title: { text: 'Feasible share by constraint' }, showlegend: false, yaxis: axis('share', { range: [0, 1] }) });
    plot(sub, scatter, { title: { text: 'Constraint values (feasible below 0)' }, xaxis: axis('trial'), yaxis: axis('c'),
                         shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: 0, y1: 0, line: { color: '#a33', dash: 'dash' } }] });
  }

  // Learning curves from intermediate reports.
  if (data.curves.length) {
    var lc = section('Learning curves', 'Intermediate values trials reported by step (' + data.curves.length + ' trials).');
    var curveTraces;
    if (data.curves.length <= 40) {
      curveTraces = data.curves.map(function (cv, k) {
        return { x: cv.steps, y: cv.values, mode: 'lines+markers', type: 'scatter', name: '#' + cv.number,
                 line: { width: 1.5, color: palette[k % palette.length] }, marker: { size: 4 } };
      });
    } else {
      var one = { x: [], y: [], mode: 'lines', type: 'scatter', name: 'trials', line: { width: 1, color: 'rgba(59,111,214,0.4)' } };
      data.curves.forEach(function (cv) { one.x = one.x.concat(cv.steps, [null]); one.y = one.y.concat(cv.values, [null]); });
      curveTraces = [one];
    }
    plot(lc, curveTraces, { title: { text: 'Reported values by step' }, xaxis: axis('step'), yaxis: axis('reported value') });
  }

  // The trials.
  var ts = section('Trials', n + ' trials, newest last.');
  var wrap = el('div', 'table-wrap');
  ts.appendChild(wrap);
  var esc = function (s) { return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;'); };
  var headCells = ['#', 'state', 'value', 'feasible'].concat(names, trials.constraints.map(function (_, k) { return 'c' + k; }),
                                                     trials.cost ? ['cost'] : []);
  var html = ['<table id="boex-trials"><thead><tr>' + headCells.map(function (h) { return '<th>' + esc(h) + '</th>'; }).join('') +
              '</tr></thead><tbody>'];
  for (i = 0; i < n; ++i) {
    var state = trials.state[i];
    var cls = state === 'complete' ? (trials.feasible[i] ? '' : 'infeasible') : state;
    var cells = [trials.number[i], state, fmt(trials.value[i]), state === 'complete' ? (trials.feasible[i] ? 'yes' : 'no') : ''];
    names.forEach(function (nm) { cells.push(fmt(trials.params[nm][i])); });
    trials.constraints.forEach(function (colk) { cells.push(fmt(colk[i])); });
    if (trials.cost) cells.push(fmt(trials.cost[i]));
    html.push('<tr class="' + cls + '">' + cells.map(function (v, k) {
      return '<td' + (k === 1 ? ' class="text"' : '') + '>' + esc(v) + '</td>'; }).join('') + '</tr>');
  }
  html.push('</tbody></table>');
  wrap.innerHTML = html.join('');
  finish();

  function finish() {
    root.setAttribute('data-plots', String(plotCount));
    Promise.all(pending).then(function () {
      // Milliseconds from the start of navigation until every plot was drawn (what a reader waits).
      root.setAttribute('data-render-ms', String(Math.round(performance.now())));
      root.setAttribute('data-rendered', 'true');
    },
                              function (e) { console.error('plot failed: ' + e); root.setAttribute('data-rendered', 'failed'); });
  }
})();
