// Progress charts (Chart.js, vendored): pain, with the average of the past week as the main
// line against its baseline and the 30 % and 50 % lines, and each session's pain before and
// after as a lighter series of its own; function and confidence; activity with the
// 150-minute line. The phases are background bands, named by the legend above each chart
// (no text drawn on the bands), in the legend swatches' colours. Dates are the server's
// ("25 Nov 2026", in the data) in tooltips, and the clinic's locale on the axis ("25 Nov").
// The same numbers are in the tables beside each chart.
(function () {
  "use strict";

  const source = document.getElementById("progress-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const DAY = 86400000;
  const day = (iso) => Date.parse(iso + "T00:00:00Z") / DAY;
  const points = (rows, only) =>
    rows
      .filter((r) => !only || r.source === only)
      .map((r) => ({ x: day(r.date), y: r.value, label: r.label }));

  const locale = data.locale || document.documentElement.lang || undefined;
  const longDate = new Intl.DateTimeFormat(locale, {
    day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
  });
  function axisFormat(span) {
    // Within a year, "25 Nov"; over a longer course, "Nov 2025", so no date is ambiguous.
    const options = span > 330
      ? { month: "short", year: "numeric", timeZone: "UTC" }
      : { day: "numeric", month: "short", timeZone: "UTC" };
    const format = new Intl.DateTimeFormat(locale, options);
    return (value) => format.format(new Date(value * DAY));
  }

  // Each phase's colours, from its legend swatch (clinic.css): the band is its background,
  // the strip along the band's top its border.
  function phaseColours(phase) {
    const swatch = document.querySelector(".phase-swatch-" + phase);
    if (!swatch) return null;
    const style = window.getComputedStyle(swatch);
    return { fill: style.backgroundColor, strip: style.borderTopColor };
  }

  const phaseBands = {
    id: "phaseBands",
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      data.phases.forEach((band) => {
        const colours = phaseColours(band.phase);
        const left = Math.max(scales.x.getPixelForValue(day(band.from)), chartArea.left);
        const right = Math.min(scales.x.getPixelForValue(day(band.to)), chartArea.right);
        if (!colours || right <= left) return;
        ctx.fillStyle = colours.fill;
        ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
        ctx.fillStyle = colours.strip;
        ctx.fillRect(left, chartArea.top, right - left, 4);
      });
      ctx.restore();
    },
  };

  function line(value, text, colour) {
    return {
      label: text, data: [], borderColor: colour, backgroundColor: colour, borderDash: [6, 4],
      borderWidth: 1.5, pointRadius: 0, pointHitRadius: 0, pointStyle: "line", referenceValue: value,
    };
  }

  const charts = {};

  function chart(id, datasets, y, references) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const all = datasets.flatMap((d) => d.data.map((p) => p.x));
    data.phases.forEach((b) => { all.push(day(b.from)); all.push(day(b.to)); });
    if (!all.length) return;
    const xMin = Math.min(...all) - 2;
    const xMax = Math.max(...all) + 2;
    references.forEach((ref) => {
      if (ref.referenceValue !== null) {
        ref.data = [{ x: xMin, y: ref.referenceValue }, { x: xMax, y: ref.referenceValue }];
        datasets.push(ref);
      }
    });
    const axisDate = axisFormat(xMax - xMin);
    charts[id] = new window.Chart(canvas, {
      type: "line",
      data: { datasets },
      options: {
        animation: false,
        parsing: false,
        maintainAspectRatio: false,
        scales: {
          x: {
            type: "linear", min: xMin, max: xMax,
            ticks: { callback: axisDate, maxTicksLimit: 6, precision: 0, maxRotation: 0 },
          },
          y: { min: 0, max: y.max, title: { display: true, text: y.title } },
        },
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true, boxHeight: 10 } },
          tooltip: {
            callbacks: {
              title: (items) => items[0].raw.label || longDate.format(new Date(items[0].parsed.x * DAY)),
            },
          },
        },
      },
      plugins: [phaseBands],
    });
  }

  const s = data.series;
  const SESSION = "rgba(108, 117, 125, 0.55)";
  chart("pain-chart", [
    {
      label: "Average pain, past week", data: points(s.pain_average),
      borderColor: "#0d6efd", backgroundColor: "#0d6efd", borderWidth: 3, pointRadius: 3,
    },
    {
      label: "Session: pain before", data: points(s.session_pain_before), session: true,
      borderColor: SESSION, backgroundColor: "rgba(220, 53, 69, 0.35)", showLine: false,
      pointRadius: 3, pointStyle: "circle",
    },
    {
      label: "Session: pain after", data: points(s.session_pain_after), session: true,
      borderColor: SESSION, backgroundColor: "rgba(25, 135, 84, 0.35)", showLine: false,
      pointRadius: 3, pointStyle: "triangle",
    },
  ], { max: 10, title: "Pain (0-10)" }, [
    line(data.baseline, "Baseline (intake)", "#212529"),
    line(data.lines.p30, "Average 30 % below baseline", "#fd7e14"),
    line(data.lines.p50, "Average 50 % below baseline", "#198754"),
  ]);
  chart("function-chart", [
    { label: "PEG score (lower is better)", data: points(s.peg), borderColor: "#6f42c1", backgroundColor: "#6f42c1" },
    { label: "PSFS mean (higher is better)", data: points(s.psfs), borderColor: "#20c997", backgroundColor: "#20c997" },
    { label: "Movement confidence (higher is better)", data: points(s.confidence), borderColor: "#0dcaf0", backgroundColor: "#0dcaf0" },
  ], { max: 10, title: "Score (0-10)" }, []);
  chart("activity-chart", [
    { label: "Active minutes a week", data: points(s.active_minutes), borderColor: "#198754", backgroundColor: "#198754" },
  ], { max: null, title: "Minutes" }, [line(150, "150 minutes (WHO)", "#fd7e14")]);

  // The sessions' before and after pain: shown or hidden together, by the box under the
  // chart (it works from the keyboard) or a click on their legend entries.
  const toggle = document.getElementById("session-pain-toggle");
  const pain = charts["pain-chart"];
  if (toggle && pain) {
    const box = document.getElementById("show-session-pain");
    const sessionSets = () => pain.data.datasets.map((d, i) => [d, i]).filter(([d]) => d.session);
    box.addEventListener("change", () => {
      sessionSets().forEach(([, i]) => pain.setDatasetVisibility(i, box.checked));
      pain.update();
    });
    const defaultClick = window.Chart.defaults.plugins.legend.onClick;
    pain.options.plugins.legend.onClick = function (event, item, legend) {
      defaultClick.call(this, event, item, legend);
      box.checked = sessionSets().every(([, i]) => pain.isDatasetVisible(i));
    };
    toggle.hidden = false;
  }
  document.documentElement.dataset.chartsDrawn = "true";
})();
