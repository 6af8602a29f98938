'use strict';
// The live dashboard: one chart per pipeline, loaded from the REST API and kept current by server-sent events.
// All data reaches the page through textContent or Chart.js's canvas, never as HTML, so nothing in it is markup.
(function () {
  const INITIAL_LIMIT = 1000;
  const MAX_RESULTS_PER_PIPELINE = 5000;
  const MAX_TIME_POINTS = 300;
  const REDRAW_DELAY_MS = 300;
  const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

  const results = new Map();      // pipeline -> Map(window_start|group values -> result)
  const groupFields = new Map();  // pipeline -> [field]
  const charts = new Map();       // pipeline -> Chart
  const pending = new Set();
  let rawValues = [];
  let redrawTimer = null;

  const ms = iso => Date.parse(iso);
  const hhmmss = value => new Date(value).toISOString().substring(11, 19);
  const hhmm = value => new Date(value).toISOString().substring(11, 16);
  const HOUR_MS = 3600 * 1000;
  // scotsmen_bagpipes writes an hour once its watermark (1 minute) minus the join bound (5 minutes) has passed the
  // hour's end: an event more than 6 minutes of event time after it (docs/pipelines.md).
  const BAGPIPES_CLOSE_MS = 6 * 60 * 1000;
  const day = value => new Date(value).toISOString().substring(0, 10);
  const timeAxis = { type: 'linear', ticks: { callback: hhmmss, maxTicksLimit: 8 }, title: { display: true, text: 'Time (UTC)' } };

  function latestPerGroup(rows, field) {
    const latest = new Map();
    rows.forEach(r => {
      const current = latest.get(r[field]);
      if (r[field] != null && (!current || ms(r.window_start) > ms(current.window_start))) {
        latest.set(r[field], r);
      }
    });
    return [...latest.values()].sort((a, b) => String(a[field]).localeCompare(String(b[field])));
  }

  function latestWindow(rows) {
    const newest = Math.max(...rows.map(r => ms(r.window_start)));
    return rows.filter(r => ms(r.window_start) === newest);
  }

  function byWindow(rows) {
    return rows.slice().sort((a, b) => ms(a.window_start) - ms(b.window_start)).slice(-MAX_TIME_POINTS);
  }

  function line(label, points, colour, extra) {
    return Object.assign({ label, data: points, borderColor: colour, backgroundColor: colour, pointRadius: 1, borderWidth: 2 }, extra);
  }

  function bars(categories, series) {
    return {
      type: 'bar',
      data: {
        labels: categories,
        datasets: series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: COLOURS[i % COLOURS.length] })),
      },
      options: { scales: { x: { ticks: { autoSkip: false, maxRotation: 60 } } } },
    };
  }

  // Each pipeline's chart (for the two notebooks that plot, what they plot: docs/notebooks.md), as a function from
  // its results to a Chart.js configuration.
  const VIEWS = {
    impressions_per_minute: {
      title: 'Impressions and click-through rate per minute',
      chart: rows => {
        const sorted = byWindow(rows);
        return {
          type: 'line',
          data: { datasets: [
            line('Impressions', sorted.map(r => ({ x: ms(r.window_start), y: r.total_impressions })), COLOURS[0], { yAxisID: 'y' }),
            line('Click-through rate', sorted.map(r => ({ x: ms(r.window_start), y: r.click_through_rate })), COLOURS[1], { yAxisID: 'y1' }),
          ] },
          options: { scales: { x: timeAxis, y: { title: { display: true, text: 'Impressions' } },
            y1: { position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'CTR' } } } },
        };
      },
    },
    random_value_avg: {
      title: 'Original against reduced random values',
      chart: rows => {
        // As the granularity-reduction notebook plots them: over the time span of the original values kept, not the
        // whole history of reduced windows, which would squeeze the original values into the chart's last minute.
        const raw = rawValues.map(v => ({ x: ms(v.ts), y: v.value }));
        const from = Math.min(...raw.map(p => p.x));
        const to = Math.max(...raw.map(p => p.x));
        const overlaps = r => raw.length === 0 || (ms(r.window_end) > from && ms(r.window_start) <= to);
        const reduced = byWindow(rows.filter(overlaps)).map(r => ({ x: ms(r.window_end), y: r.avg_value }));
        return {
          type: 'line',
          data: { datasets: [
            line('Original', raw, COLOURS[0]),
            line('Reduced', reduced, COLOURS[1], { borderDash: [6, 4] }),
          ] },
          options: { scales: { x: timeAxis, y: { title: { display: true, text: 'Value' } } } },
        };
      },
      alwaysShown: true,
    },
    scotsmen_per_district: {
      title: 'New scotsmen per district (latest window)',
      chart: rows => {
        const latest = latestPerGroup(rows, 'district');
        return bars(latest.map(r => r.district), [{ label: 'New scotsmen', values: latest.map(r => r.total_new_scotsmen) }]);
      },
    },
    scotsmen_bagpipes: {
      title: 'New scotsmen against bagpipe sales per district (latest hour)',
      // An empty chart for up to an hour is expected: say why, and when the next hour is due.
      note: rows => {
        const why = 'Each hour is written once, when it has closed (a stream-stream join writes in append mode): '
          + 'about 6 minutes of event time after its end.';
        if (rows.length > 0) {
          const end = Math.max(...rows.map(r => ms(r.window_end)));
          return 'Hour ' + hhmm(end - HOUR_MS) + '–' + hhmm(end) + ' UTC. ' + why + ' The next is due after '
            + hhmm(end + HOUR_MS + BAGPIPES_CLOSE_MS) + ' event time.';
        }
        const scotsmen = [...(results.get('scotsmen_per_district') || new Map()).values()];
        if (scotsmen.length === 0) {
          return 'No hour has closed yet. ' + why;
        }
        const now = Math.max(...scotsmen.map(r => ms(r.window_end)));
        const due = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS + BAGPIPES_CLOSE_MS;
        return 'No hour has closed yet. ' + why + ' The first is due after ' + hhmm(due)
          + ' event time (the scotsmen stream is at ' + hhmm(now) + ').';
      },
      chart: rows => {
        const latest = latestPerGroup(rows, 'district');
        return bars(latest.map(r => r.district), [
          { label: 'New scotsmen', values: latest.map(r => r.total_new_scotsmen) },
          { label: 'Bagpipe sales', values: latest.map(r => r.total_bagpipe_sales) },
        ]);
      },
    },
    conversions_per_capita: {
      title: 'Conversions per capita (latest window)',
      chart: rows => {
        const latest = latestPerGroup(rows, 'district');
        return bars(latest.map(r => r.district), [{ label: 'New scotsmen per inhabitant', values: latest.map(r => r.cumulative_ratio) }]);
      },
    },
    hashtag_counts: {
      title: 'Top hashtags (latest window)',
      chart: rows => {
        const top = latestWindow(rows).sort((a, b) => b.count - a.count).slice(0, 10);
        const config = bars(top.map(r => r.hashtag), [{ label: 'Count', values: top.map(r => r.count) }]);
        config.options.indexAxis = 'y';
        return config;
      },
    },
    voter_stats: {
      title: 'Voters by party (latest window)',
      chart: rows => {
        // Two breakdowns share the stream; show gender by party, or age bucket by party when that is all there is.
        const byGender = rows.filter(r => r.gender != null && r.party != null);
        const split = byGender.length > 0 ? 'gender' : 'age_bucket';
        const latest = latestWindow(byGender.length > 0 ? byGender : rows.filter(r => r.age_bucket != null && r.party != null));
        const parties = [...new Set(latest.map(r => String(r.party)))].sort();
        const kinds = [...new Set(latest.map(r => String(r[split])))].sort();
        const config = bars(parties, kinds.map(kind => ({
          label: split + ' ' + kind,
          values: parties.map(p => latest.filter(r => String(r.party) === p && String(r[split]) === kind)
            .reduce((sum, r) => sum + r.count, 0)),
        })));
        config.options.scales.x.stacked = true;
        config.options.scales.y = { stacked: true };
        return config;
      },
    },
    weather_daily: {
      title: 'Daily weather',
      chart: rows => {
        const sorted = byWindow(rows);
        return {
          type: 'line',
          // A category per daily window: one tick per day, never a label twice, and a single day is one day wide
          // rather than the years a linear axis spreads around one point.
          data: { labels: sorted.map(r => day(ms(r.window_start))), datasets: [
            // Visible points: a line of one day is a single point.
            line('Min temperature', sorted.map(r => r.min_temperature), COLOURS[0], { pointRadius: 4 }),
            line('Max temperature', sorted.map(r => r.max_temperature), COLOURS[1], { pointRadius: 4 }),
            Object.assign(line('Precipitation', sorted.map(r => r.total_precipitation), COLOURS[5], { yAxisID: 'y1' }),
              { type: 'bar', maxBarThickness: 40 }),
          ] },
          options: { scales: { x: { type: 'category' },
            y: { title: { display: true, text: '°C' } },
            y1: { position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'mm' } } } },
        };
      },
    },
  };

  // A pipeline outside the catalogue: its first numeric field over time, one line per group (at most eight).
  function genericView(pipeline) {
    return {
      title: pipeline,
      chart: rows => {
        const standard = new Set(['pipeline', 'window_start', 'window_end', 'emitted_at']);
        const sample = rows[0] || {};
        const metric = Object.keys(sample).find(k => !standard.has(k) && typeof sample[k] === 'number');
        const fields = groupFields.get(pipeline) || [];
        const groups = new Map();
        byWindow(rows).forEach(r => {
          const group = fields.map(f => r[f]).join(' / ') || metric;
          if (!groups.has(group) && groups.size >= COLOURS.length) {
            return;
          }
          if (!groups.has(group)) {
            groups.set(group, []);
          }
          groups.get(group).push({ x: ms(r.window_start), y: r[metric] });
        });
        return {
          type: 'line',
          data: { datasets: [...groups.entries()].map(([g, points], i) => line(g, points, COLOURS[i])) },
          options: { scales: { x: timeAxis, y: { title: { display: true, text: metric || '' } } } },
        };
      },
    };
  }

  function viewOf(pipeline) {
    return VIEWS[pipeline] || genericView(pipeline);
  }

  function ensureChart(pipeline) {
    if (charts.has(pipeline)) {
      return;
    }
    const section = document.createElement('section');
    section.dataset.pipeline = pipeline;
    const heading = document.createElement('h2');
    heading.textContent = viewOf(pipeline).title;
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = 'pipeline ' + pipeline;
    const box = document.createElement('div');
    box.className = 'chart-box';
    const canvas = document.createElement('canvas');
    canvas.dataset.points = '0';
    box.appendChild(canvas);
    section.append(heading, note, box);
    document.getElementById('charts').appendChild(section);
    const chart = new Chart(canvas, { type: 'line', data: { datasets: [] },
      options: { animation: false, responsive: true, maintainAspectRatio: false } });
    charts.set(pipeline, chart);
  }

  function draw(pipeline) {
    ensureChart(pipeline);
    const chart = charts.get(pipeline);
    const rows = [...(results.get(pipeline) || new Map()).values()];
    const view = viewOf(pipeline);
    const config = view.chart(rows);
    if (view.note) {
      chart.canvas.closest('section').querySelector('p.note').textContent = 'pipeline ' + pipeline + '. ' + view.note(rows);
    }
    chart.config.type = config.type;
    chart.data = config.data;
    chart.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
    chart.update();
    const points = config.data.datasets.reduce((sum, d) => sum + d.data.filter(v => v != null).length, 0);
    chart.canvas.dataset.points = String(points);
  }

  function scheduleRedraw(pipeline) {
    pending.add(pipeline);
    if (redrawTimer === null) {
      redrawTimer = setTimeout(() => {
        redrawTimer = null;
        const now = [...pending];
        pending.clear();
        now.forEach(draw);
      }, REDRAW_DELAY_MS);
    }
  }

  function keyOf(pipeline, r) {
    return [r.window_start].concat((groupFields.get(pipeline) || []).map(f => r[f] == null ? '' : String(r[f]))).join('|');
  }

  function addResults(rows) {
    rows.forEach(r => {
      const pipeline = r.pipeline;
      if (!results.has(pipeline)) {
        results.set(pipeline, new Map());
      }
      if (!groupFields.has(pipeline)) {
        // Outside the catalogue: the same rule as the server's, text fields are group fields.
        groupFields.set(pipeline, Object.keys(r).filter(k => typeof r[k] === 'string'
          && !['pipeline', 'window_start', 'window_end', 'emitted_at'].includes(k)));
      }
      const stored = results.get(pipeline);
      stored.set(keyOf(pipeline, r), r);
      if (stored.size > MAX_RESULTS_PER_PIPELINE) {
        stored.delete(stored.keys().next().value);
      }
      scheduleRedraw(pipeline);
      // The bagpipes chart's note tells its due time from how far the scotsmen stream has come.
      if (pipeline === 'scotsmen_per_district' && charts.has('scotsmen_bagpipes')) {
        scheduleRedraw('scotsmen_bagpipes');
      }
    });
  }

  function addRawValues(values) {
    rawValues = rawValues.concat(values).slice(-MAX_TIME_POINTS);
    scheduleRedraw('random_value_avg');
  }

  function setStatus(text, kind) {
    const status = document.getElementById('status');
    status.textContent = text;
    status.className = 'status ' + kind;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      throw new Error(path + ' answered ' + response.status);
    }
    return response.json();
  }

  async function load() {
    const { pipelines } = await getJson('/api/pipelines');
    pipelines.forEach(p => groupFields.set(p.name, p.group_fields));
    const shown = pipelines.filter(p => p.catalogued || p.row_count > 0);
    shown.forEach(p => ensureChart(p.name));
    const [raw, ...pages] = await Promise.all([getJson('/api/raw-values')].concat(
      shown.map(p => getJson('/api/results/' + encodeURIComponent(p.name) + '?limit=' + INITIAL_LIMIT))));
    addRawValues(raw.values);
    pages.forEach(page => addResults(page.results.slice().reverse()));
    shown.forEach(p => scheduleRedraw(p.name));
  }

  function reload() {
    load().catch(e => setStatus('cannot load results: ' + e.message, 'down'));
  }

  function listen() {
    const events = new EventSource('/api/stream');
    let connectedBefore = false;
    events.addEventListener('open', () => {
      setStatus('live', 'live');
      // Events sent while the connection was down are gone; the REST API has them.
      if (connectedBefore) {
        reload();
      }
      connectedBefore = true;
    });
    events.addEventListener('error', () => setStatus('reconnecting', 'down'));
    events.addEventListener('results', e => addResults(JSON.parse(e.data)));
    events.addEventListener('raw', e => addRawValues(JSON.parse(e.data)));
    // The server dropped events it could not send in time (a large catch-up): fetch everything again.
    events.addEventListener('reload', reload);
  }

  listen();
  reload();
})();
