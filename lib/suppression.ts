// Small-number suppression for every published table of counts (reports, their charts and their CSV files).
//
// A count from 1 to 4 could point to a person ("the one request from the Derby site about discrimination"), so it is
// published as "fewer than 5" (primary suppression). Zero says nothing about anyone and is shown. Totals must not let
// a hidden value be worked out again: if a row of 3, 12 and 20 is published with its total 35, the 3 is simply
// 35 − 12 − 20. So more values are hidden too (secondary suppression), shown as "not shown".
//
// Whether something can be worked out is decided by simulating the reader: they know every published value, that a
// "fewer than 5" value is 1 to 4, that a "not shown" value is 5 or more (it is never 0, and were it 1 to 4 it would
// say "fewer than 5"), and that each total is the sum of its row or column. From those facts they narrow every hidden
// value to a range, line by line, again and again until nothing changes. If any hidden value is narrowed to a single
// number, the next-smallest non-zero published value in the line that gave it away is hidden as well (or the line's
// total, when no non-zero value is left), and the reader is simulated again, until nothing can be worked out.
//
// This module is pure (no database, no React): the data access layer calls it straight after its queries, so exact
// small numbers never leave the query function.

/** Fewer than this many is shown as "fewer than 5". */
export const SUPPRESSION_THRESHOLD = 5;

export type Published =
  | { kind: "count"; value: number }
  /** Primary suppression: the true value is 1 to 4. */
  | { kind: "fewer-than-5" }
  /** Secondary suppression: hidden so that a "fewer than 5" value cannot be worked out from a total. */
  | { kind: "not-shown" };

export const FEWER_THAN_5 = "fewer than 5";
export const NOT_SHOWN = "not shown";

/** Which totals are published with the table. Every total is the sum of its row or column. */
export type Totals = "none" | "rows" | "columns" | "both";

export type CountTable = {
  /** Rows of non-negative whole numbers, every row the same length. */
  cells: readonly (readonly number[])[];
  totals: Totals;
};

export type PublishedTable = {
  cells: Published[][];
  /** One per row, when the table publishes row totals. */
  rowTotals: Published[] | null;
  /** One per column, when the table publishes column totals. */
  columnTotals: Published[] | null;
  /** The sum of everything, when the table publishes both row and column totals. */
  grandTotal: Published | null;
  /** Some value is "not shown": the page explains why under the table. */
  hasNotShown: boolean;
};

/** A one-column table, such as requests by topic, with or without its total. */
export type PublishedList = { values: Published[]; total: Published | null; hasNotShown: boolean };

type State = "shown" | "small" | "hidden";
type Line = { cells: number[]; total: number };

const isSmall = (n: number) => n >= 1 && n < SUPPRESSION_THRESHOLD;

function checkCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a count must be a non-negative whole number, not ${n}`);
}

/** One figure published on its own, with no total to protect: 1 to 4 becomes "fewer than 5". */
export function publishCount(n: number): Published {
  checkCount(n);
  return isSmall(n) ? { kind: "fewer-than-5" } : { kind: "count", value: n };
}

/** The words for a published value, the same in a table, a chart label and a CSV cell. */
export function publishedText(p: Published, format: (n: number) => string = (n) => n.toLocaleString("en-GB")): string {
  if (p.kind === "count") return format(p.value);
  return p.kind === "fewer-than-5" ? FEWER_THAN_5 : NOT_SHOWN;
}

/** For CSV files: plain digits (no thousands separator) or the same words as the page. */
export function publishedCsv(p: Published): string {
  return publishedText(p, (n) => String(n));
}

/** The value when it is published, otherwise null. */
export function publishedValue(p: Published): number | null {
  return p.kind === "count" ? p.value : null;
}

// The table as numbered slots (cells, then row totals, column totals and the grand total) and the lines that tie
// them together: each line says "these cells add up to that total".
type Layout = {
  values: number[];
  lines: Line[];
  rowTotal: (r: number) => number;
  columnTotal: (c: number) => number;
  grand: number;
  /** The slot of the table's one overall total, if it has one. */
  overall: number | null;
};

function layout(table: CountTable): Layout {
  const rows = table.cells.length;
  const columns = table.cells[0]?.length ?? 0;
  const values: number[] = [];
  for (const row of table.cells) {
    if (row.length !== columns) throw new RangeError("every row of a table must have the same number of cells");
    for (const n of row) {
      checkCount(n);
      values.push(n);
    }
  }
  const cell = (r: number, c: number) => r * columns + c;
  const withRows = table.totals === "rows" || table.totals === "both";
  const withColumns = table.totals === "columns" || table.totals === "both";
  const lines: Line[] = [];
  const rowStart = values.length;
  if (withRows) {
    for (let r = 0; r < rows; r += 1) {
      const cells = Array.from({ length: columns }, (_, c) => cell(r, c));
      values.push(cells.reduce((sum, i) => sum + (values[i] ?? 0), 0));
      lines.push({ cells, total: values.length - 1 });
    }
  }
  const columnStart = values.length;
  if (withColumns) {
    for (let c = 0; c < columns; c += 1) {
      const cells = Array.from({ length: rows }, (_, r) => cell(r, c));
      values.push(cells.reduce((sum, i) => sum + (values[i] ?? 0), 0));
      lines.push({ cells, total: values.length - 1 });
    }
  }
  let grand = -1;
  if (withRows && withColumns) {
    values.push(values.slice(0, rows * columns).reduce((sum, n) => sum + n, 0));
    grand = values.length - 1;
    lines.push({ cells: Array.from({ length: rows }, (_, r) => rowStart + r), total: grand });
    lines.push({ cells: Array.from({ length: columns }, (_, c) => columnStart + c), total: grand });
  }
  let overall: number | null = null;
  if (grand >= 0) overall = grand;
  else if (withColumns && columns === 1) overall = columnStart;
  else if (withRows && rows === 1) overall = rowStart;
  return {
    values,
    lines,
    rowTotal: (r) => rowStart + r,
    columnTotal: (c) => columnStart + c,
    grand,
    overall,
  };
}

/**
 * What a reader can narrow each value to, from the published values and the line sums: the first value narrowed to
 * a single number although it was not published, with the line that gave it away, or null when nothing can be.
 */
function firstRecoverable(values: readonly number[], states: readonly State[], lines: readonly Line[]): { slot: number; line: number } | null {
  const lo = states.map((s, i) => (s === "shown" ? (values[i] ?? 0) : s === "small" ? 1 : SUPPRESSION_THRESHOLD));
  const hi = states.map((s, i) => (s === "shown" ? (values[i] ?? 0) : s === "small" ? SUPPRESSION_THRESHOLD - 1 : Infinity));
  const recovered = (i: number) => states[i] !== "shown" && lo[i] === hi[i];
  // Ranges only ever narrow, so this ends; the cap is a guard against slow narrowing over very large numbers.
  for (let pass = 0; pass < 10_000; pass += 1) {
    let changed = false;
    for (let l = 0; l < lines.length; l += 1) {
      const line = lines[l] as Line;
      let sumLo = 0;
      let sumHiFinite = 0;
      let infinite = 0;
      for (const c of line.cells) {
        sumLo += lo[c] as number;
        if ((hi[c] as number) === Infinity) infinite += 1;
        else sumHiFinite += hi[c] as number;
      }
      const t = line.total;
      const narrow = (slot: number, newLo: number, newHi: number): boolean => {
        const a = Math.max(lo[slot] as number, newLo);
        const b = Math.min(hi[slot] as number, newHi);
        if (a > b) throw new Error("suppression: the published values contradict each other");
        if (a === lo[slot] && b === hi[slot]) return false;
        lo[slot] = a;
        hi[slot] = b;
        changed = true;
        return recovered(slot);
      };
      if (narrow(t, sumLo, infinite > 0 ? Infinity : sumHiFinite)) return { slot: t, line: l };
      for (const c of line.cells) {
        const othersLo = sumLo - (lo[c] as number);
        const othersInfinite = infinite - ((hi[c] as number) === Infinity ? 1 : 0);
        const othersHi = othersInfinite > 0 ? Infinity : sumHiFinite - ((hi[c] as number) === Infinity ? 0 : (hi[c] as number));
        if (narrow(c, (lo[t] as number) - othersHi, (hi[t] as number) - othersLo)) return { slot: c, line: l };
      }
    }
    if (!changed) break;
  }
  return null;
}

function smallestShown(values: readonly number[], states: readonly State[], slots: readonly number[]): number | null {
  let best: number | null = null;
  for (const s of slots) {
    if (states[s] !== "shown" || (values[s] ?? 0) === 0) continue;
    if (best === null || (values[s] as number) < (values[best] as number)) best = s;
  }
  return best;
}

function suppressSlots(layoutOf: Layout, hideOverall: boolean): State[] {
  const { values, lines } = layoutOf;
  const states: State[] = values.map((n) => (isSmall(n) ? "small" : "shown"));
  if (hideOverall && layoutOf.overall !== null && states[layoutOf.overall] === "shown" && (values[layoutOf.overall] ?? 0) > 0) {
    states[layoutOf.overall] = "hidden";
  }
  for (;;) {
    const leak = firstRecoverable(values, states, lines);
    if (!leak) return states;
    const line = lines[leak.line] as Line;
    // The next-smallest value in the line that gave the number away; failing that, any line through that value;
    // failing that, the line's total.
    const through = lines.filter((l) => l.cells.includes(leak.slot) || l.total === leak.slot);
    const pick =
      smallestShown(values, states, line.cells) ??
      smallestShown(values, states, through.flatMap((l) => l.cells)) ??
      smallestShown(values, states, [line.total, ...through.map((l) => l.total)]);
    if (pick !== null) {
      states[pick] = "hidden";
      continue;
    }
    // Nothing non-zero is left to hide near it: hide every non-zero value in the table. Zero is never hidden, and
    // with every other value hidden no equation is left with a single unknown.
    let more = false;
    for (let i = 0; i < values.length; i += 1) {
      if (states[i] === "shown" && (values[i] ?? 0) > 0) {
        states[i] = "hidden";
        more = true;
      }
    }
    // Still recoverable with nothing left to hide: the small values give each other away, because "fewer than 5"
    // means at least 1 (four cells of "fewer than 5" under a total of "fewer than 5" are all 1). Such a table is too
    // small to break down at all: every value, zeros included, is withheld.
    if (!more) return states.map(() => "hidden");
  }
}

function publish(value: number, state: State): Published {
  if (state === "small") return { kind: "fewer-than-5" };
  if (state === "hidden") return { kind: "not-shown" };
  return { kind: "count", value };
}

/**
 * Suppresses a table of counts: 1 to 4 become "fewer than 5", and more values (then totals) become "not shown"
 * until no hidden value can be worked out from the published ones and the totals. `hideOverallTotal` hides the
 * table's overall total from the start, for tables that share it with another (see suppressTogether).
 */
export function suppressTable(table: CountTable, options: { hideOverallTotal?: boolean } = {}): PublishedTable {
  const l = layout(table);
  const states = suppressSlots(l, options.hideOverallTotal ?? false);
  const rows = table.cells.length;
  const columns = table.cells[0]?.length ?? 0;
  const at = (slot: number) => publish(l.values[slot] ?? 0, states[slot] ?? "shown");
  const withRows = table.totals === "rows" || table.totals === "both";
  const withColumns = table.totals === "columns" || table.totals === "both";
  return {
    cells: Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => at(r * columns + c))),
    rowTotals: withRows ? Array.from({ length: rows }, (_, r) => at(l.rowTotal(r))) : null,
    columnTotals: withColumns ? Array.from({ length: columns }, (_, c) => at(l.columnTotal(c))) : null,
    grandTotal: l.grand >= 0 ? at(l.grand) : null,
    hasNotShown: states.includes("hidden"),
  };
}

/** A one-column table (counts by topic, by month…), with its total when `total` is true. */
export function suppressList(values: readonly number[], options: { total: boolean; hideTotal?: boolean }): PublishedList {
  const table = suppressTable(
    { cells: values.map((n) => [n]), totals: options.total ? "columns" : "none" },
    { hideOverallTotal: options.hideTotal ?? false },
  );
  return {
    values: table.cells.map((row) => row[0] as Published),
    total: table.columnTotals ? (table.columnTotals[0] as Published) : null,
    hasNotShown: table.hasNotShown,
  };
}

/**
 * Several one-column tables that break down the same total (requests by month, by topic, by outcome, by site). Were
 * one table to hide its total while another published it, the reader would take the total from the other table; so
 * when any of them must hide it, all of them do.
 */
export function suppressTogether(lists: readonly (readonly number[])[]): PublishedList[] {
  const sums = lists.map((values) => values.reduce((sum, n) => sum + n, 0));
  if (sums.some((s) => s !== sums[0])) throw new RangeError("tables suppressed together must have the same total");
  const first = lists.map((values) => suppressList(values, { total: true }));
  if (!first.some((list) => list.total?.kind === "not-shown")) return first;
  return lists.map((values) => suppressList(values, { total: true, hideTotal: true }));
}
