// The console's one script: the session's CSRF token on every htmx request, and Chart.js drawn on
// every canvas that carries its data (sparklines, size histories, results), again after each swap.
(function () {
  var token = document.querySelector('meta[name="csrf-token"]');
  // A refusal (4xx) carries the API's words in the fragment it answers: show it where the result goes.
  if (window.htmx) {
    htmx.config.responseHandling = [{ code: '204', swap: false }, { code: '[23]..', swap: true },
      { code: '4..', swap: true, error: false }, { code: '...', swap: false }];
  }
  document.body.addEventListener('htmx:configRequest', function (e) {
    if (token) { e.detail.headers['X-CSRF-Token'] = token.content; }
  });

  function draw(root) {
    if (!window.Chart) { return; }
    root.querySelectorAll('canvas[data-values]').forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      canvas.dataset.drawn = '1';
      var spark = canvas.classList.contains('spark');
      var values = JSON.parse(canvas.dataset.values);
      var lows = canvas.dataset.lows ? JSON.parse(canvas.dataset.lows) : null;
      var highs = canvas.dataset.highs ? JSON.parse(canvas.dataset.highs) : null;
      var datasets = [{ data: values, borderColor: '#1f5fa8', backgroundColor: '#1f5fa8', pointRadius: spark && values.length > 2 ? 0 : 3,
        borderWidth: 2, spanGaps: true, label: canvas.getAttribute('aria-label') || '' }];
      if (lows && highs) {
        datasets.push({ data: highs, borderColor: '#9bb8dc', borderDash: [4, 3], pointRadius: 0, borderWidth: 1, label: 'upper bound' });
        datasets.push({ data: lows, borderColor: '#9bb8dc', borderDash: [4, 3], pointRadius: 0, borderWidth: 1, label: 'lower bound' });
      }
      new Chart(canvas, {
        type: canvas.dataset.kind || 'line',
        data: { labels: JSON.parse(canvas.dataset.labels || '[]'), datasets: datasets },
        options: { animation: false, responsive: true, maintainAspectRatio: false,
          plugins: { legend: { display: !spark && !!lows }, tooltip: { enabled: !spark } },
          scales: { x: { display: !spark }, y: { display: !spark } } }
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () { draw(document); });
  document.body.addEventListener('htmx:afterSettle', function (e) { draw(e.target); });
})();
