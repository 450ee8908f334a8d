import type {
  CallRow,
  DashboardRange,
  LineNow,
  SessionAnswer,
  StatsAnswer,
  TimelineEntry,
} from '../src/protocol/dashboard.js';
import { DASHBOARD_RANGES } from '../src/protocol/dashboard.js';
import type { Language } from '../src/protocol/language.js';
import type { AdminTexts } from './admin-texts.js';
import { byId, el, requestJson, RequestError, table } from './admin-dom.js';
import {
  endedText,
  failureText,
  fill,
  formatDuration,
  histogramLabels,
  seriesColumns,
  share,
  timelineText,
  utcOffsetMinutes,
  who,
} from './admin-figures.js';
import { categoryData, categoryPlot, timePlot } from './admin-plots.js';

/** How often "now" is read again, and the plots and the table. */
const NOW_EVERY_MS = 5_000;
const FIGURES_EVERY_MS = 30_000;

/** The signed-in dashboard: now, the range's figures and plots, and the recent calls. */
export async function dashboardView(language: Language, texts: AdminTexts): Promise<void> {
  const session = await requestJson<SessionAnswer>('/admin/api/session');
  if (!session.signedIn || session.csrfToken === undefined) {
    location.replace('/admin/login');
    return;
  }
  byId('sandbox').hidden = !session.sandbox;
  const state: { range: DashboardRange; line: string; cursor: string | undefined } = {
    range: 'today',
    line: '',
    cursor: undefined,
  };
  const time = (ms: number | null) =>
    ms === null ? '—' : new Date(ms).toLocaleString(language, { dateStyle: 'short', timeStyle: 'short' });
  const query = (extra: Record<string, string> = {}) =>
    new URLSearchParams({
      range: state.range,
      tz: String(utcOffsetMinutes(new Date())),
      ...(state.line !== '' && { line: state.line }),
      ...extra,
    }).toString();

  // Controls: range, line, sign-out.
  const rangeSelect = byId<HTMLSelectElement>('range');
  for (const range of DASHBOARD_RANGES) rangeSelect.append(new Option(texts[`range_${range}`], range));
  const lineSelect = byId<HTMLSelectElement>('line');
  lineSelect.append(new Option(texts.allLines, ''));
  for (const line of session.lines ?? []) lineSelect.append(new Option(line.name, line.id));
  lineSelect.hidden = (session.lines ?? []).length < 2;
  const csrfToken = session.csrfToken;
  byId('sign-out').addEventListener('click', () => {
    void requestJson('/admin/api/logout', { method: 'POST', headers: { 'x-csrf-token': csrfToken } }).finally(
      () => location.replace('/admin/login'),
    );
  });

  const plots = {
    time: timePlot(byId('plot-calls'), {
      when: texts.when,
      created: texts.created,
      connected: texts.connected,
      failed: texts.failed,
    }),
    setup: categoryPlot(byId('plot-setup'), texts.calls, histogramLabels('setup', language)),
    duration: categoryPlot(byId('plot-duration'), texts.calls, histogramLabels('duration', language)),
    funnel: categoryPlot(
      byId('plot-funnel'),
      texts.people,
      (['invited', 'sent', 'delivered', 'read', 'joined'] as const).map((step) => texts[`funnel_${step}`]),
    ),
  };

  const showProblem = (error: unknown) => {
    if (error instanceof RequestError && error.code === 'ADMIN_SIGN_IN_REQUIRED') {
      location.replace('/admin/login');
      return;
    }
    byId('problem').textContent = texts.loadFailed;
  };
  const updated = () => {
    byId('problem').textContent = '';
    byId('updated').textContent = fill(texts.updated, {
      time: new Date().toLocaleTimeString(language, { timeStyle: 'medium' }),
    });
  };

  const renderNow = (lines: readonly LineNow[]) => {
    const shown = state.line === '' ? lines : lines.filter((line) => line.line === state.line);
    const sum = (key: 'waiting' | 'inCall' | 'backlog' | 'relayed') =>
      String(shown.reduce((total, line) => total + line[key], 0));
    byId('now-waiting').textContent = sum('waiting');
    byId('now-in-call').textContent = sum('inCall');
    byId('now-backlog').textContent = sum('backlog');
    byId('now-relayed').textContent = sum('relayed');
    byId('now-lines').replaceChildren(
      lines.length < 2
        ? ''
        : table(
            [texts.line, texts.waiting, texts.inCall, texts.backlog, texts.relayedNow],
            lines.map((line) => [
              line.line,
              ...[line.waiting, line.inCall, line.backlog, line.relayed].map(String),
            ]),
            '',
          ),
    );
  };

  const renderStats = (stats: StatsAnswer) => {
    const { totals } = stats;
    byId('total-created').textContent = String(totals.created);
    byId('total-connected').textContent =
      `${totals.connected} (${share(totals.connected, totals.created, language)})`;
    byId('total-failed').textContent = String(totals.failed);
    byId('total-relayed').textContent = share(totals.relayed, totals.connected, language);
    const columns = seriesColumns(stats);
    plots.time.update([columns.x, columns.created, columns.connected, columns.failed]);
    plots.setup.update(categoryData(stats.setup));
    plots.duration.update(categoryData(stats.duration));
    const funnel = stats.funnel;
    plots.funnel.update(
      categoryData([funnel.invited, funnel.sent, funnel.delivered, funnel.read, funnel.joined]),
    );
    byId('failures').replaceChildren(
      table(
        [texts.reason, texts.code, texts.calls],
        stats.failures.map((failure) => [
          failureText(failure.code, texts),
          String(failure.code),
          String(failure.calls),
        ]),
        texts.noFailures,
      ),
    );
    byId('browsers').replaceChildren(
      table(
        [texts.browser, texts.platform, texts.people],
        stats.agents.map((agent) => [agent.browser, agent.platform, String(agent.people)]),
        texts.nobody,
      ),
    );
  };

  const detail = byId<HTMLDialogElement>('detail');
  const openDetail = async (call: CallRow) => {
    const found = await requestJson<{ call: CallRow; timeline: TimelineEntry[] }>(
      `/admin/api/calls/${encodeURIComponent(call.id)}`,
    );
    byId('detail-title').textContent = `${who(found.call)} · ${texts[`status_${found.call.status}`]}`;
    byId('detail-summary').textContent = [
      found.call.line,
      time(found.call.createdAtMs),
      formatDuration(found.call.durationMs),
      endedText(found.call, texts),
    ]
      .filter((part) => part !== '')
      .join(' · ');
    byId('detail-timeline').replaceChildren(
      ...found.timeline.map((entry) =>
        el('li', {}, [el('time', { text: time(entry.atMs) }), ' ', timelineText(entry, texts)]),
      ),
    );
    detail.showModal();
  };
  byId('detail-close').addEventListener('click', () => detail.close());

  const callRow = (call: CallRow) => {
    const row = el(
      'tr',
      { attributes: { tabindex: '0', 'data-call': call.id, 'data-status': call.status } },
      [
        texts[`status_${call.status}`],
        call.line,
        who(call),
        time(call.createdAtMs),
        time(call.connectedAtMs),
        formatDuration(call.durationMs),
        texts[`reached_${call.reachedBy}`],
        failureText(call.failureCode, texts),
      ].map((cell) => el('td', { text: cell })),
    );
    const open = () => void openDetail(call).catch(showProblem);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (event) => event.key === 'Enter' && open());
    return row;
  };
  const calls = byId('calls');
  // A refresh reads as many calls as are shown (up to the API's 100), so that pages opened with "show more"
  // stay open; a new range or line starts again from the first page.
  const loadCalls = async (more: boolean) => {
    const limit = String(Math.min(100, Math.max(25, calls.childElementCount)));
    const page = await requestJson<{ calls: CallRow[]; nextCursor?: string }>(
      `/admin/api/calls?${query(more && state.cursor !== undefined ? { cursor: state.cursor } : more ? {} : { limit })}`,
    );
    if (!more) calls.replaceChildren();
    calls.append(...page.calls.map(callRow));
    state.cursor = page.nextCursor;
    byId('more').hidden = page.nextCursor === undefined;
    byId('no-calls').hidden = calls.childElementCount > 0;
  };
  byId('more').addEventListener('click', () => void loadCalls(true).catch(showProblem));

  const loadNow = () =>
    requestJson<{ lines: LineNow[] }>('/admin/api/now')
      .then((now) => {
        renderNow(now.lines);
        updated();
      })
      .catch(showProblem);
  const loadFigures = () =>
    Promise.all([requestJson<StatsAnswer>(`/admin/api/stats?${query()}`).then(renderStats), loadCalls(false)])
      .then(() => {
        byId<HTMLAnchorElement>('export').href = `/admin/api/calls.csv?${query()}`;
        updated();
      })
      .catch(showProblem);
  const reload = () => {
    state.range = rangeSelect.value as DashboardRange;
    state.line = lineSelect.value;
    calls.replaceChildren();
    void loadNow();
    void loadFigures();
  };
  rangeSelect.addEventListener('change', reload);
  lineSelect.addEventListener('change', reload);
  reload();
  // Light polling, paused while the tab is hidden; any instance answers (nothing is kept between requests).
  setInterval(() => document.visibilityState === 'visible' && void loadNow(), NOW_EVERY_MS);
  setInterval(() => document.visibilityState === 'visible' && void loadFigures(), FIGURES_EVERY_MS);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && reload());
}
