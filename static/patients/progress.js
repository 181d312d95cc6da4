// Progress charts (Chart.js, vendored): pain with its baseline, 30 % and 50 % lines and the
// phases as labelled bands; function and confidence; activity with the 150-minute line.
// The same numbers are in the tables beside each chart.
(function () {
  "use strict";

  const source = document.getElementById("progress-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const DAY = 86400000;
  const day = (iso) => Date.parse(iso + "T00:00:00Z") / DAY;
  const label = (value) => new Date(value * DAY).toISOString().slice(0, 10);
  const points = (rows, only) =>
    rows.filter((r) => !only || r.source === only).map((r) => ({ x: day(r.date), y: r.value }));
  const BAND_COLOURS = ["rgba(214, 51, 132, 0.08)", "rgba(255, 193, 7, 0.12)", "rgba(25, 135, 84, 0.10)"];

  // Phases as background bands with their names, drawn under the data.
  const phaseBands = {
    id: "phaseBands",
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      ctx.save();
      data.phases.forEach((band) => {
        const left = Math.max(scales.x.getPixelForValue(day(band.from)), chartArea.left);
        const right = Math.min(scales.x.getPixelForValue(day(band.to)), chartArea.right);
        if (right <= left) return;
        ctx.fillStyle = BAND_COLOURS[band.phase - 1];
        ctx.fillRect(left, chartArea.top, right - left, chartArea.bottom - chartArea.top);
        ctx.fillStyle = "#495057";
        ctx.font = "12px sans-serif";
        ctx.fillText(band.phase + ". " + band.label, left + 4, chartArea.top + 14);
      });
      ctx.restore();
    },
  };

  function line(value, text, colour) {
    return {
      label: text, data: [], borderColor: colour, borderDash: [6, 4], pointRadius: 0,
      referenceValue: value,
    };
  }

  function chart(id, datasets, yMax, references) {
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
    new window.Chart(canvas, {
      type: "line",
      data: { datasets },
      options: {
        animation: false,
        parsing: false,
        maintainAspectRatio: false,
        scales: {
          x: { type: "linear", min: xMin, max: xMax, ticks: { callback: label, maxTicksLimit: 6 } },
          y: { min: 0, max: yMax },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { title: (items) => label(items[0].parsed.x) } },
        },
      },
      plugins: [phaseBands],
    });
  }

  const s = data.series;
  chart("pain-chart", [
    { label: "Average pain (check-ins)", data: points(s.pain_average, "checkin"), borderColor: "#0d6efd", backgroundColor: "#0d6efd" },
    { label: "Average pain (intake)", data: points(s.pain_average, "intake"), borderColor: "#212529", backgroundColor: "#212529", showLine: false, pointRadius: 6, pointStyle: "rectRot" },
    { label: "Before treatment", data: points(s.session_pain_before), borderColor: "#dc3545", backgroundColor: "#dc3545", showLine: false },
    { label: "After treatment", data: points(s.session_pain_after), borderColor: "#198754", backgroundColor: "#198754", showLine: false, pointStyle: "triangle" },
  ], 10, [
    line(data.baseline, "Baseline", "#212529"),
    line(data.lines.p30, "30 % better", "#fd7e14"),
    line(data.lines.p50, "50 % better", "#198754"),
  ]);
  chart("function-chart", [
    { label: "PEG score", data: points(s.peg), borderColor: "#6f42c1", backgroundColor: "#6f42c1" },
    { label: "PSFS mean", data: points(s.psfs), borderColor: "#20c997", backgroundColor: "#20c997" },
    { label: "Movement confidence (clinic measure)", data: points(s.confidence), borderColor: "#0dcaf0", backgroundColor: "#0dcaf0" },
  ], 10, []);
  chart("activity-chart", [
    { label: "Active minutes a week", data: points(s.active_minutes), borderColor: "#198754", backgroundColor: "#198754" },
  ], null, [line(150, "150 minutes (WHO)", "#fd7e14")]);
  document.documentElement.dataset.chartsDrawn = "true";
})();
