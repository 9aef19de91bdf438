// The dashboard's entry: sign in with a pasted token, then load the chosen window and draw every panel.
import { renderAgp } from './agp-chart.js';
import { ApiError, apiClient } from './api-client.js';
import { destroyCharts } from './chart-frame.js';
import { dailyTraces } from './daily-traces.js';
import { localDate } from './format.js';
import { renderHealthTimeline } from './health-timeline.js';
import { renderKeyMetrics } from './key-metrics.js';
import { clearSession, loadSession, saveSession, saveWindowDays, savedWindowDays } from './session.js';
import { renderTimeInRanges } from './time-in-ranges.js';
import { localDayRanges } from './window-ranges.js';

const DAY_MS = 86_400_000;
const $ = (id) => document.getElementById(id);
/** The readings of a window are fetched as ranges of this many local days, this many ranges at a time. */
const DAYS_PER_RANGE = 3;
const PARALLEL_RANGES = 2;
/** The load in progress: a newer one (another window, a sign-out) aborts it. */
let currentLoad;

function setState(state) {
  document.body.dataset.state = state;
}

function showSignIn(problem = '') {
  currentLoad?.abort();
  destroyCharts();
  $('dashboard').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-problem').textContent = problem;
  setState('signed-out');
}

/** What to tell the person when the API refuses the token. */
function refusal(error, userId) {
  if (error.status === 401) return `The token was not accepted (${error.message}). It is wrong, expired or revoked: paste a current one.`;
  if (error.status === 403) return `The token may not read the readings of user "${userId}" (${error.message}).`;
  return undefined;
}

async function loadHealth(api, window, live) {
  const note = $('health-note');
  const chart = $('health-chart');
  try {
    const summaries = await api.all('/v1/health/summaries', { from: localDate(window.fromMs), to: localDate(window.toMs - 1) });
    if (!live()) return;
    note.textContent = summaries.length === 0 ? 'No recovery log entries in this window.' : '';
    renderHealthTimeline({ chart, table: $('health-table') }, summaries, window);
    $('health').dataset.available = 'true';
  } catch (error) {
    if (!(error instanceof ApiError) || ![403, 404].includes(error.status)) throw error;
    if (!live()) return;
    chart.replaceChildren();
    $('health-table').replaceChildren();
    $('health').dataset.available = 'false';
    note.textContent =
      error.status === 404
        ? 'The recovery log is not shown: it belongs to one person, and this token is not theirs.'
        : 'The recovery log is not shown: this token lacks the health:read scope.';
  }
}

async function loadWindow(session) {
  currentLoad?.abort();
  const load = new AbortController();
  currentLoad = load;
  const live = () => !load.signal.aborted;
  const days = Number($('window-days').value);
  const toMs = Date.now();
  const window = { fromMs: toMs - days * DAY_MS, toMs };
  const api = apiClient(session.token, load.signal);
  const readingsPath = `/v1/users/${encodeURIComponent(session.userId)}/readings`;
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  setState('loading');
  $('load-problem').textContent = '';
  $('status').textContent = `Loading ${days} days…`;
  $('report-window').textContent = `${localDate(window.fromMs)} – ${localDate(toMs)} (${days} days, user ${session.userId})`;
  destroyCharts();
  const traces = dailyTraces({ charts: $('daily-charts'), table: $('daily-table') }, window);
  try {
    // Three independent requests at once; each panel is drawn as soon as what it shows has arrived.
    const statsQuery = { from: new Date(window.fromMs).toISOString(), to: new Date(toMs).toISOString(), time_zone: timeZone };
    const statsDrawn = api.get(`${readingsPath}/stats`, statsQuery).then((stats) => {
      if (!live()) return stats;
      renderKeyMetrics($('metrics-list'), $('sufficiency-note'), stats);
      renderTimeInRanges({ bar: $('tir-bar'), targets: $('tir-targets'), table: $('tir-table') }, stats);
      renderAgp({ chart: $('agp-chart'), table: $('agp-table') }, stats);
      return stats;
    });
    const tracesDrawn = api
      .allInRanges(readingsPath, {}, localDayRanges(window.fromMs, toMs, DAYS_PER_RANGE), {
        concurrency: PARALLEL_RANGES,
        onRange: (range, items) => {
          if (live()) traces.draw(items, range.fromMs, range.toMs);
        },
      })
      .then(() => {
        if (live()) traces.finish();
      });
    const [{ count }] = await Promise.all([statsDrawn, tracesDrawn, loadHealth(api, window, live)]);
    if (!live()) return;
    $('status').textContent = `${count} readings over ${days} days.`;
    // uPlot draws in a microtask: wait a frame so every chart has drawn before saying so.
    requestAnimationFrame(() => {
      if (!live()) return;
      document.body.dataset.drawnMs = String(Math.round(performance.now()));
      setState('ready');
    });
  } catch (error) {
    if (!live()) return;
    load.abort();
    const refused = error instanceof ApiError ? refusal(error, session.userId) : undefined;
    if (refused !== undefined) {
      clearSession();
      showSignIn(refused);
      return;
    }
    $('status').textContent = '';
    $('load-problem').textContent = `Could not load the data: ${error instanceof Error ? error.message : String(error)}`;
    setState('failed');
  }
}

function showDashboard(session) {
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  return loadWindow(session);
}

/** Whose the token is, asked of the API (`GET /v1/me`): a JWT or a personal access token alone signs in. */
async function signIn(token) {
  setState('signing-in');
  $('sign-in-problem').textContent = '';
  try {
    const me = await apiClient(token).get('/v1/me');
    $('token').value = '';
    const session = { token, userId: me.user_id };
    saveSession(session);
    await showDashboard(session);
  } catch (error) {
    const refused = error instanceof ApiError ? refusal(error, undefined) : undefined;
    showSignIn(refused ?? `Could not sign in: ${error instanceof Error ? error.message : String(error)}`);
  }
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn($('token').value.trim());
});

$('window-days').addEventListener('change', () => {
  saveWindowDays($('window-days').value);
  const session = loadSession();
  if (session === undefined) showSignIn();
  else void loadWindow(session);
});
$('print-report').addEventListener('click', () => print());
$('sign-out').addEventListener('click', () => {
  clearSession();
  showSignIn();
});

const days = savedWindowDays();
if (days !== undefined && [...$('window-days').options].some((option) => option.value === days)) $('window-days').value = days;
const session = loadSession();
if (session === undefined) showSignIn();
else void showDashboard(session);
