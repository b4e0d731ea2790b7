/**
 * What the end-to-end benchmarks read inside the page: long tasks (the
 * `longtask` PerformanceObserver entries, main-thread tasks over 50 ms) and
 * the moment a row is shown, timed by the page's own clock on the animation
 * frame that first has it in the DOM.
 */
import type { Locator, Page } from 'playwright-core';

/** A long task: start on the page's clock and duration, ms. */
export type LongTask = { startMs: number; durationMs: number };

/** Installs the long-task observer in every document `page` loads from now on. */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const tasks: { startMs: number; durationMs: number }[] = [];
    (window as unknown as { __corralLongTasks: typeof tasks }).__corralLongTasks = tasks;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ startMs: e.startTime, durationMs: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Long tasks that started at or after `sinceMs` (page clock). */
export async function longTasksSince(page: Page, sinceMs: number): Promise<LongTask[]> {
  const all = await page.evaluate(() => (window as unknown as { __corralLongTasks?: LongTask[] }).__corralLongTasks ?? []);
  return all.filter((t) => t.startMs >= sinceMs);
}

/**
 * Clicks `button` inside the page and resolves with the page-clock times of
 * the click and of the first animation frame in which a `[data-role=<role>]`
 * element of `scope` contains `text`; also the `data-position` of that
 * element's row (its place in a transcript the pane built from the session's
 * start, however many of its oldest rows the window has trimmed since). Throws after `timeoutMs`.
 */
export async function clickUntilShown(button: Locator, scope: Locator, role: string, text: string, timeoutMs: number):
  Promise<{ clickedAt: number; shownAt: number; rowIndex: number }> {
  const root = await scope.elementHandle();
  if (!root) throw new Error('the pane to watch is not in the page');
  return button.evaluate((btn, { root, role, text, timeoutMs }) => new Promise((resolve, reject) => {
    const clickedAt = performance.now();
    const frame = () => {
      for (const el of root.querySelectorAll(`[data-role="${role}"]`)) {
        if (!el.textContent?.includes(text)) continue;
        const row = el.closest('[data-position]');
        resolve({ clickedAt, shownAt: performance.now(), rowIndex: Number(row?.getAttribute('data-position') ?? -1) });
        return;
      }
      if (performance.now() - clickedAt > timeoutMs) reject(new Error(`"${text}" was not shown within ${timeoutMs} ms`));
      else requestAnimationFrame(frame);
    };
    (btn as HTMLButtonElement).click();
    requestAnimationFrame(frame);
  }), { root, role, text, timeoutMs });
}

/**
 * From the next document `page` loads, records on the page's clock the first
 * animation frame in which a `[data-role=<role>]` element contains `text`;
 * {@link shownAt} reads it. For figures measured from navigation start.
 */
export async function watchForRow(page: Page, role: string, text: string): Promise<void> {
  await page.addInitScript(({ role, text }) => {
    const w = window as unknown as { __corralShown?: Record<string, number> };
    const seen = (w.__corralShown ??= {});
    const frame = () => {
      for (const el of document.querySelectorAll(`[data-role="${role}"]`)) {
        if (el.textContent?.includes(text)) {
          seen[text] = performance.now();
          return;
        }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }, { role, text });
}

/** Waits until {@link watchForRow}'s row showed; resolves with its time since navigation start and as epoch ms. Throws after `timeoutMs`. */
export async function shownAt(page: Page, text: string, timeoutMs = 60_000): Promise<{ sinceNavigationMs: number; epochMs: number }> {
  const handle = await page.waitForFunction((t) => {
    const at = (window as unknown as { __corralShown?: Record<string, number> }).__corralShown?.[t];
    return at === undefined ? null : { sinceNavigationMs: at, epochMs: performance.timeOrigin + at };
  }, text, { timeout: timeoutMs, polling: 50 });
  return (await handle.jsonValue()) as { sinceNavigationMs: number; epochMs: number };
}

/** The page's JavaScript heap in use after a full garbage collection, bytes (CDP `Runtime.getHeapUsage`). */
export async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await cdp.detach();
  }
}
