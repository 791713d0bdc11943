// The HTML shell of GET /__admin/ui: the navigation and the places the client modules fill. The
// empty icon keeps the browser from asking for /favicon.ico, which the mock would capture.

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>sqm-cer-mock: captured traffic</title>
<link rel="stylesheet" href="app.css">
<link rel="icon" href="data:,">
<script type="module" src="main.js"></script>
</head>
<body>
<header>
  <h1>sqm-cer-mock</h1>
  <nav aria-label="Views">
    <a href="#/requests" data-view="requests">Requests</a>
    <a href="#/clients" data-view="clients">Clients</a>
    <a href="#/scenario" data-view="scenario">Scenario</a>
  </nav>
  <div class="tools">
    <span id="clock" title="The mock's clock (GET /__admin/clock)"></span>
    <label>Advance <input id="advance" type="number" value="86400" min="1" step="1" aria-label="Seconds to advance the clock"> s</label>
    <button id="advance-go" type="button">Advance clock</button>
    <button id="reset" type="button">Reset store</button>
  </div>
</header>
<div id="status" role="status" aria-live="polite"></div>
<form id="login" hidden>
  <p>This admin API needs its token (<code>--admin-token</code>). It is kept for this browser tab only (sessionStorage).</p>
  <label>Admin token <input id="token" type="password" autocomplete="off" required></label>
  <button type="submit">Use token</button>
</form>
<main id="view" tabindex="-1"></main>
</body>
</html>
`;
