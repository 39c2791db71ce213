// Draws the trends charts from the JSON the server put in #trend-data (no inline script).
// Without JavaScript the page still has every number: the summary, sentences and tables.
"use strict";

// Discreet mode: intimacy markers and summary rows arrive hidden ([data-private]); the button
// reveals them on this page only, and hides them again. Without the button they are shown.
const privateToggle = document.querySelector("[data-private-toggle]");

function privateShown() {
  return !privateToggle || privateToggle.getAttribute("aria-expanded") === "true";
}

(function () {
  if (!privateToggle) return;
  function show(visible) {
    privateToggle.setAttribute("aria-expanded", String(visible));
    privateToggle.textContent = visible ? "Hide private markers" : "Show private markers";
    document.querySelectorAll("[data-private]").forEach((element) => {
      element.hidden = !visible;
    });
    document.querySelectorAll("[data-public]").forEach((element) => {
      element.hidden = visible;
    });
    document.querySelectorAll("[data-private-label]").forEach((element) => {
      const current = element.getAttribute("aria-label");
      element.setAttribute("aria-label", element.dataset.privateLabel);
      element.dataset.privateLabel = current;
    });
    document.dispatchEvent(new CustomEvent("hearth:private-markers"));
  }
  privateToggle.hidden = false;
  privateToggle.addEventListener("click", () => show(!privateShown()));
})();

(function () {
  const source = document.getElementById("trend-data");
  const registry = document.getElementById("chart-measures");
  const root = document.querySelector("[data-chart-root]");
  if (!source || !registry || !root || !window.uPlot) return;

  const data = JSON.parse(source.textContent);
  const series = data.series;
  const daily = series.granularity === "day";
  // Over a long range the intimacy marks come counted by week, even when the other charts
  // show days: daily marks would run into one another.
  const weeklyIntimacy = !!series.intimacy && series.intimacy.granularity === "week";
  // Noon UTC keeps each day on its own date whatever the viewer's time zone.
  const xs = series.days.map((day) => Date.parse(day + "T12:00:00Z") / 1000);
  const lastX = xs.length ? xs[xs.length - 1] + (daily ? 0 : 6 * 86400) : 0;
  const colours = {
    point: "#0072B2",
    line: "#D55E00",
    band: "rgba(0, 114, 178, 0.22)",
    medication: "rgba(204, 121, 167, 0.16)",
    solo: "#009E73",
    partnered: "#0072B2",
    affection: "#CC79A7",
  };
  // Each charted measure's label and axis top, from the server's registry (tracker/measures.py).
  const measures = JSON.parse(registry.textContent);
  const scaleMax = Object.fromEntries(measures.map((measure) => [measure.name, measure.top]));
  const labels = Object.fromEntries(measures.map((measure) => [measure.name, measure.label]));
  const readout = root.querySelector("[data-chart-tooltip]");
  const charts = [];
  const syncKey = "hearth-trends";
  const dateFormat = new Intl.DateTimeFormat(undefined, {
    weekday: daily ? "short" : undefined,
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });

  function toSeconds(day) {
    return Date.parse(day + "T12:00:00Z") / 1000;
  }

  // Shaded bands for the periods medications were taken, behind every chart.
  const medicationBands = {
    hooks: {
      drawClear: [
        (u) => {
          const { ctx, bbox } = u;
          ctx.save();
          ctx.fillStyle = colours.medication;
          for (const medication of data.medications) {
            const start = Math.max(toSeconds(medication.started), xs[0]);
            const end = medication.stopped ? Math.min(toSeconds(medication.stopped), lastX) : lastX;
            const left = u.valToPos(start, "x", true);
            const right = u.valToPos(end, "x", true);
            ctx.fillRect(left, bbox.top, Math.max(right - left, 2), bbox.height);
          }
          ctx.restore();
        },
      ],
    },
  };

  function baseOptions(element, height) {
    return {
      width: Math.max(element.clientWidth, 260),
      height,
      legend: { show: false },
      cursor: { sync: { key: syncKey }, drag: { x: false, y: false } },
      scales: { x: { time: true, range: [xs[0] - 43200, lastX + 43200] } },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
      plugins: [medicationBands],
      hooks: { setCursor: [(u) => showReadout(u.cursor.idx)] },
    };
  }

  function measureChart(element, name) {
    const measure = series.measures[name];
    const options = baseOptions(element, 150);
    options.scales.y = { range: [0, scaleMax[name]] };
    options.axes = [{}, { size: 36, splits: (u, i, min, max) => ticks(max) }];
    if (daily) {
      options.series = [
        {},
        { label: "Logged", stroke: colours.point, paths: () => null, points: { show: true, size: 6, fill: colours.point } },
        { label: "7-day average", stroke: colours.line, width: 2.5, points: { show: false } },
      ];
      return new uPlot(options, [xs, measure.values, measure.rolling], element);
    }
    options.series = [
      {},
      { label: "Lowest", stroke: "transparent", points: { show: false } },
      { label: "Highest", stroke: "transparent", points: { show: false } },
      { label: "Average", stroke: colours.line, width: 2.5, points: { show: false } },
    ];
    options.bands = [{ series: [2, 1], fill: colours.band }];
    return new uPlot(options, [xs, measure.min, measure.max, measure.mean], element);
  }

  function ticks(max) {
    const step = max > 6 ? (max > 10 ? 3 : 2) : 1;
    const values = [];
    for (let value = 0; value <= max; value += step) values.push(value);
    return values;
  }

  // Rows of marks: solo (circles), with a partner (diamonds), affection (squares).
  function intimacyChart(element) {
    const options = baseOptions(element, 120);
    options.scales.y = { range: [0.4, 3.6] };
    const rowNames = { 1: "Affection", 2: "Partner", 3: "Solo" };
    options.axes = [
      {},
      { size: 72, splits: () => [1, 2, 3], values: (u, splits) => splits.map((v) => rowNames[v]) },
    ];
    options.series = [{}, { label: "marks", show: true, paths: () => null, points: { show: false } }];
    options.hooks.draw = [(u) => drawMarks(u)];
    return new uPlot(options, [xs, xs.map(() => null)], element);
  }

  function markSize(index) {
    return { gentle: 5, moderate: 7, vigorous: 10 }[series.intimacy.intensity[index]] || 6;
  }

  function drawMarks(u) {
    // Discreet mode: the marks are not drawn at all until the person shows private markers.
    if (!privateShown()) return;
    const { ctx } = u;
    const ratio = window.devicePixelRatio || 1;
    ctx.save();
    if (weeklyIntimacy) drawWeeklyCounts(u, ratio);
    else drawDailyMarks(u, ratio);
    ctx.restore();
  }

  function drawDailyMarks(u, ratio) {
    const { ctx } = u;
    for (let i = 0; i < xs.length; i++) {
      const x = u.valToPos(xs[i], "x", true);
      const kind = series.intimacy.activity[i];
      const size = markSize(i) * ratio;
      if (kind === "solo" || kind === "both") {
        circle(ctx, x, u.valToPos(3, "y", true), size, colours.solo);
      }
      if (kind === "partnered" || kind === "both") {
        diamond(ctx, x, u.valToPos(2, "y", true), size, colours.partnered);
      }
      if (series.intimacy.affection[i] === true) {
        square(ctx, x, u.valToPos(1, "y", true), 5 * ratio, colours.affection);
      }
    }
  }

  // One bar per week in each row, as tall as the days of that kind in the week (seven fill the
  // row), standing at the middle of the week.
  function drawWeeklyCounts(u, ratio) {
    const { ctx } = u;
    const intimacy = series.intimacy;
    const weekX = intimacy.days.map((day) => u.valToPos(Math.min(toSeconds(day) + 3 * 86400, lastX), "x", true));
    const rowHeight = Math.abs(u.valToPos(1, "y", true) - u.valToPos(2, "y", true)) * 0.8;
    const spacing = weekX.length > 1 ? weekX[1] - weekX[0] : u.bbox.width;
    const width = Math.max(Math.min(spacing * 0.7, 12 * ratio), 1.5 * ratio);
    const rows = [
      [3, intimacy.solo, colours.solo],
      [2, intimacy.partnered, colours.partnered],
      [1, intimacy.affection, colours.affection],
    ];
    weekX.forEach((x, i) => {
      for (const [row, counts, colour] of rows) {
        if (!counts[i]) continue;
        const height = Math.max((rowHeight * Math.min(counts[i], 7)) / 7, 2 * ratio);
        const base = u.valToPos(row, "y", true) + rowHeight / 2;
        ctx.fillStyle = colour;
        ctx.fillRect(x - width / 2, base - height, width, height);
      }
    });
  }

  function circle(ctx, x, y, r, colour) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fill();
  }

  function diamond(ctx, x, y, r, colour) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    ctx.moveTo(x, y - r * 1.2);
    ctx.lineTo(x + r, y);
    ctx.lineTo(x, y + r * 1.2);
    ctx.lineTo(x - r, y);
    ctx.closePath();
    ctx.fill();
  }

  function square(ctx, x, y, r, colour) {
    ctx.fillStyle = colour;
    ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
  }

  function describe(index) {
    const parts = [];
    for (const name of Object.keys(labels)) {
      const measure = series.measures[name];
      const value = daily ? measure.values[index] : measure.mean[index];
      if (value !== null && value !== undefined) parts.push(labels[name] + " " + value);
    }
    if (daily && weeklyIntimacy && privateShown()) {
      const intimacy = series.intimacy;
      const week = Math.floor((xs[index] - toSeconds(intimacy.days[0])) / (7 * 86400));
      parts.push(
        "That week: solo on " + intimacy.solo[week] + ", with a partner on " + intimacy.partnered[week] +
          ", affection on " + intimacy.affection[week] + " days",
      );
    } else if (daily && series.intimacy && privateShown()) {
      const kind = series.intimacy.activity[index];
      const names = { none: "no sexual activity", solo: "solo", partnered: "with a partner", both: "solo and with a partner" };
      if (kind) parts.push("Intimacy: " + names[kind] + (series.intimacy.intensity[index] ? " (" + series.intimacy.intensity[index] + ")" : ""));
      if (series.intimacy.affection[index] === true) parts.push("Affection");
    } else if (!daily) {
      parts.push(series.days_logged[index] + " days logged");
    }
    return parts.length ? parts.join(" · ") : "Not logged";
  }

  function showReadout(index) {
    if (!readout) return;
    if (index === null || index === undefined || index < 0) {
      return;
    }
    readout.hidden = false;
    readout.textContent = "";
    const heading = document.createElement("strong");
    heading.textContent = (daily ? "" : "Week of ") + dateFormat.format(new Date(xs[index] * 1000));
    const text = document.createElement("span");
    text.textContent = " " + describe(index) + " ";
    readout.append(heading, text);
    if (daily) {
      const link = document.createElement("a");
      link.href = "/log/" + series.days[index] + "/";
      link.textContent = "Open this day";
      readout.append(link);
    }
  }

  function moveCursor(u, index) {
    const clamped = Math.min(Math.max(index, 0), xs.length - 1);
    u.setCursor({ left: u.valToPos(xs[clamped], "x"), top: u.bbox.height / (2 * (window.devicePixelRatio || 1)) });
    showReadout(clamped);
    return clamped;
  }

  root.querySelectorAll("[data-chart]").forEach((element) => {
    const name = element.dataset.chart;
    const chart = name === "intimacy" ? intimacyChart(element) : measureChart(element, name);
    charts.push({ element, chart });
    let index = xs.length - 1;
    element.addEventListener("keydown", (event) => {
      const steps = { ArrowLeft: -1, ArrowRight: 1, PageUp: -7, PageDown: 7 };
      if (event.key in steps) {
        index = moveCursor(chart, (chart.cursor.idx ?? index) + steps[event.key]);
      } else if (event.key === "Home") {
        index = moveCursor(chart, 0);
      } else if (event.key === "End") {
        index = moveCursor(chart, xs.length - 1);
      } else if (event.key === "Enter" && daily && chart.cursor.idx !== null) {
        window.location.href = "/log/" + series.days[chart.cursor.idx] + "/";
      } else {
        return;
      }
      event.preventDefault();
    });
    element.addEventListener("focus", () => {
      index = moveCursor(chart, chart.cursor.idx ?? index);
    });
  });

  function fitCharts() {
    charts.forEach(({ element, chart }) => chart.setSize({ width: Math.max(element.clientWidth, 260), height: chart.height }));
  }

  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(fitCharts, 150);
  });
  // A chart drawn while hidden has no width to fit; the readout must not keep private words.
  document.addEventListener("hearth:private-markers", () => {
    fitCharts();
    charts.forEach(({ chart }) => chart.redraw(false));
    if (readout) readout.hidden = true;
  });
})();
