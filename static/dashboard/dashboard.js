// The dashboard's "Time to each phase" charts (Chart.js, vendored): Kaplan-Meier step
// lines of the share of patients who have reached phases 2 and 3, by weeks since intake
// and by sessions before the phase. The same numbers are in the tables and the CSV.
(function () {
  "use strict";

  const source = document.getElementById("time-to-phase-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  // The phases' colours on the patient progress page (static/patients/progress.js).
  const COLOURS = { 2: "rgb(255, 193, 7)", 3: "rgb(25, 135, 84)" };
  const AXES = { weeks: "Weeks since intake", sessions: "Sessions before reaching the phase" };
  const NAMES = { 2: "Phase 2 reached", 3: "Phase 3 reached" };

  function draw(axis) {
    const canvas = document.getElementById("time-to-phase-" + axis);
    if (!canvas) return;
    const datasets = [2, 3].map((phase) => ({
      label: NAMES[phase],
      data: data[axis][phase].map(([x, y]) => ({ x, y })),
      borderColor: COLOURS[phase],
      backgroundColor: COLOURS[phase],
      borderWidth: 3,
      borderDash: phase === 3 ? [8, 4] : [],
      stepped: "before",
      pointRadius: 0,
      pointHitRadius: 6,
    }));
    new window.Chart(canvas, {
      type: "line",
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: {
            type: "linear",
            min: 0,
            title: { display: true, text: AXES[axis] },
            ticks: { precision: 0 },
          },
          y: {
            min: 0,
            max: 100,
            title: { display: true, text: "Share reached (%)" },
            ticks: { callback: (value) => value + " %" },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: (items) => AXES[axis] + ": " + items[0].parsed.x,
              label: (item) => item.dataset.label + ": " + item.parsed.y + " %",
            },
          },
        },
      },
    });
  }

  draw("weeks");
  draw("sessions");
  document.documentElement.dataset.chartsDrawn = "true";
})();

// The dashboard's "Phase flow over time" chart: stacked bars of the patients in phases 1, 2
// and 3 at the end of each week, with lines for new patients and discharges on a second
// axis. Selecting a bar opens the list of its patients (the table's numbers link there too).
(function () {
  "use strict";

  const source = document.getElementById("phase-flow-data");
  const canvas = document.getElementById("phase-flow-chart");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  // The phases' colours on the patient progress page (static/patients/progress.js
  // BAND_COLOURS), opaque enough to read as bars; phases 2 and 3 as in "Time to each phase".
  const COLOURS = {
    1: "rgba(214, 51, 132, 0.75)",
    2: "rgba(255, 193, 7, 0.85)",
    3: "rgba(25, 135, 84, 0.8)",
  };
  const NAMES = {
    1: "Phase 1: calm things down",
    2: "Phase 2: build confidence",
    3: "Phase 3: move more",
  };
  const phases = [1, 2, 3].map((phase) => ({
    type: "bar",
    label: NAMES[phase],
    phase,
    data: data.phases[phase],
    backgroundColor: COLOURS[phase],
    stack: "phases",
    yAxisID: "y",
    order: 2,
  }));
  const line = (label, values, colour, dash) => ({
    type: "line",
    label,
    data: values,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 2,
    borderDash: dash,
    pointRadius: data.weeks.length > 26 ? 0 : 3,
    pointHitRadius: 6,
    yAxisID: "events",
    order: 1,
  });
  const datasets = phases.concat([
    line("New patients (accepted intakes)", data.new, "rgb(13, 110, 253)", []),
    line("Discharges", data.discharged, "rgb(33, 37, 41)", [6, 4]),
  ]);

  function drillDown(index, phase) {
    const query = new URLSearchParams({ phase: String(phase), week: data.weeks[index] });
    const filters = data.filters ? "&" + data.filters : "";
    window.location.assign(data.drill + "?" + query.toString() + filters);
  }

  new window.Chart(canvas, {
    data: { labels: data.labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      onClick(event, elements, chart) {
        const hit = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, false);
        const bar = hit.find((element) => chart.data.datasets[element.datasetIndex].phase);
        if (bar) drillDown(bar.index, chart.data.datasets[bar.datasetIndex].phase);
      },
      onHover(event, elements, chart) {
        const hit = chart.getElementsAtEventForMode(event, "nearest", { intersect: true }, false);
        const onBar = hit.some((element) => chart.data.datasets[element.datasetIndex].phase);
        event.native.target.style.cursor = onBar ? "pointer" : "default";
      },
      scales: {
        x: {
          stacked: true,
          title: { display: true, text: "Week starting" },
          ticks: { autoSkip: true, maxRotation: 0 },
        },
        y: {
          stacked: true,
          beginAtZero: true,
          grace: "5%",
          title: { display: true, text: "Patients in the phase" },
          ticks: { precision: 0 },
        },
        events: {
          position: "right",
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          title: { display: true, text: "New patients, discharges" },
          ticks: { precision: 0 },
        },
      },
      plugins: {
        // Phases first, as drawn from the bottom up, then the lines.
        legend: {
          position: "bottom",
          labels: { sort: (a, b) => a.datasetIndex - b.datasetIndex },
        },
        tooltip: { callbacks: { title: (items) => "Week of " + data.titles[items[0].dataIndex] } },
      },
    },
  });
  document.documentElement.dataset.flowDrawn = "true";
})();

// The dashboard's "Outcomes by week of care" charts: for each measure, the median of all
// patients as a thick line over a band of the middle half (quartiles), the median of each
// phase's patients as thin lines, and grey bars of how many patients each week holds (on a
// second axis). The pain chart marks the IMMPACT 30 % and 50 % lines. Weeks with fewer than
// five patients are not in the data.
(function () {
  "use strict";

  const source = document.getElementById("outcome-curves-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  // The phases' colours on the patient progress page and in the charts above.
  const PHASE_COLOURS = {
    1: "rgb(214, 51, 132)",
    2: "rgb(255, 193, 7)",
    3: "rgb(25, 135, 84)",
  };
  const ALL = "rgb(13, 110, 120)";
  const BAND = "rgba(13, 110, 120, 0.15)";
  const AXES = {
    pain_reduction: "Less pain than at intake (%)",
    psfs_change: "PSFS points above intake",
    active_150: "Share active 150 minutes or more (%)",
  };
  const UNITS = { pain_reduction: " %", psfs_change: " points", active_150: " %" };

  function draw(field) {
    const canvas = document.getElementById("outcome-" + field);
    if (!canvas) return;
    const groups = data[field];
    const share = field === "active_150";
    const value = (row) => (share ? row.share : row.median);
    const weeks = groups[0].map((row) => row.week);
    const last = weeks.length ? weeks[weeks.length - 1] : 0;
    // Every week from 0 to the last drawn, with a gap (null) where a group has too few
    // patients, so that no line is drawn across weeks it does not know.
    const series = (rows, pick) => {
      const byWeek = new Map(rows.map((row) => [row.week, row]));
      const points = [];
      for (let week = 0; week <= last; week += 1) {
        const row = byWeek.get(week);
        points.push({ x: week, y: row ? pick(row) : null });
      }
      return points;
    };
    const datasets = [];
    if (!share) {
      datasets.push(
        {
          label: "Middle half of patients (lower quartile)",
          data: series(groups[0], (row) => row.q1),
          borderWidth: 0,
          pointRadius: 0,
          backgroundColor: BAND,
          legendHidden: true,
        },
        {
          label: "Middle half of patients",
          data: series(groups[0], (row) => row.q3),
          borderWidth: 0,
          pointRadius: 0,
          pointStyle: "rect",
          backgroundColor: BAND,
          fill: "-1",
        },
      );
    }
    datasets.push({
      label: share ? "All patients" : "All patients (median)",
      data: series(groups[0], value),
      borderColor: ALL,
      backgroundColor: ALL,
      pointStyle: "line",
      borderWidth: 3,
      pointRadius: 2,
      pointHitRadius: 6,
    });
    [1, 2, 3].forEach((phase) => {
      if (!groups[phase].length) return;
      datasets.push({
        label: "In phase " + phase + " that week",
        data: series(groups[phase], value),
        borderColor: PHASE_COLOURS[phase],
        backgroundColor: PHASE_COLOURS[phase],
        pointStyle: "line",
        borderWidth: 2,
        borderDash: [5, 3],
        pointRadius: 0,
        pointHitRadius: 6,
      });
    });
    if (field === "pain_reduction") {
      [
        [30, "30 % less: moderate (IMMPACT)", [2, 2]],
        [50, "50 % less: substantial (IMMPACT)", [8, 4]],
      ].forEach(([y, label, dash]) =>
        datasets.push({
          label,
          data: [
            { x: 0, y },
            { x: last, y },
          ],
          borderColor: "rgb(108, 117, 125)",
          backgroundColor: "rgb(108, 117, 125)",
          pointStyle: "line",
          borderWidth: 1,
          borderDash: dash,
          pointRadius: 0,
          reference: true,
        }),
      );
    }
    datasets.push({
      type: "bar",
      label: "Patients that week",
      data: groups[0].map((row) => ({ x: row.week, y: row.patients })),
      backgroundColor: "rgba(108, 117, 125, 0.2)",
      pointStyle: "rect",
      yAxisID: "patients",
      order: 10,
    });
    new window.Chart(canvas, {
      type: "line",
      data: { datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        scales: {
          x: {
            type: "linear",
            min: 0,
            max: last,
            offset: false,
            title: { display: true, text: "Weeks since intake" },
            ticks: { precision: 0 },
          },
          y: {
            title: { display: true, text: AXES[field] },
            ...(share ? { min: 0, max: 100 } : {}),
            ticks: { callback: (v) => v + (field === "psfs_change" ? "" : " %") },
          },
          patients: {
            position: "right",
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: "Patients" },
            ticks: { precision: 0 },
          },
        },
        plugins: {
          legend: {
            position: "bottom",
            labels: {
              usePointStyle: true,
              filter: (item, chart) => !chart.datasets[item.datasetIndex].legendHidden,
            },
          },
          tooltip: {
            filter: (item) => !item.dataset.reference && !item.dataset.legendHidden,
            callbacks: {
              title: (items) => "Week " + items[0].parsed.x,
              label: (item) =>
                item.dataset.label + ": " + item.parsed.y + (item.dataset.type === "bar" ? "" : UNITS[field]),
            },
          },
        },
      },
    });
  }

  Object.keys(data).forEach(draw);
  document.documentElement.dataset.outcomesDrawn = "true";
})();
