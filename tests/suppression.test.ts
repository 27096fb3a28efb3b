import assert from "node:assert/strict";
import { describe, test } from "node:test";

import fc from "fast-check";

import {
  FEWER_THAN_5,
  NOT_SHOWN,
  publishCount,
  publishedCsv,
  suppressList,
  suppressTable,
  suppressTogether,
  type CountTable,
  type Published,
  type PublishedTable,
  type Totals,
} from "@/lib/suppression";

// Small-number suppression (lib/suppression.ts) as properties over random tables. Each property runs at least 1,000
// times; the seed is printed so a failure can be replayed with FC_SEED=<seed>.

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
console.log(`fast-check seed: ${seed} (replay with FC_SEED=${seed})`);
const RUNS = { numRuns: 1000, seed };

// Counts skewed towards the small numbers that matter, with some large ones so totals are realistic.
const count = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 6 }), weight: 5 },
  { arbitrary: fc.integer({ min: 0, max: 30 }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 5000 }), weight: 1 },
);
const totals = fc.constantFrom<Totals>("none", "rows", "columns", "both");
const table: fc.Arbitrary<CountTable> = fc
  .record({ rows: fc.integer({ min: 1, max: 8 }), columns: fc.integer({ min: 1, max: 4 }), totals })
  .chain(({ rows, columns, totals: t }) =>
    fc.array(fc.array(count, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }).map((cells) => ({ cells, totals: t })),
  );
const list = fc.array(count, { minLength: 1, maxLength: 24 });

const hidden = (p: Published) => p.kind !== "count";
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function everyPublished(result: PublishedTable): Published[] {
  return [...result.cells.flat(), ...(result.rowTotals ?? []), ...(result.columnTotals ?? []), ...(result.grandTotal ? [result.grandTotal] : [])];
}

/** Each published line: its cells and its total, as the reader sees them. */
function publishedLines(result: PublishedTable): { cells: Published[]; total: Published }[] {
  const lines: { cells: Published[]; total: Published }[] = [];
  result.rowTotals?.forEach((total, r) => lines.push({ cells: result.cells[r] ?? [], total }));
  result.columnTotals?.forEach((total, c) => lines.push({ cells: result.cells.map((row) => row[c] as Published), total }));
  if (result.grandTotal && result.rowTotals && result.columnTotals) {
    lines.push({ cells: result.rowTotals, total: result.grandTotal });
    lines.push({ cells: result.columnTotals, total: result.grandTotal });
  }
  return lines;
}

describe("suppression properties", () => {
  test("(a) no published cell, total or CSV value is between 1 and 4", () => {
    fc.assert(
      fc.property(table, (t) => {
        const result = suppressTable(t);
        for (const p of everyPublished(result)) {
          if (p.kind === "count") assert.ok(p.value === 0 || p.value >= 5, `published ${p.value}`);
          assert.doesNotMatch(publishedCsv(p), /^[1-4]$/);
        }
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.array(list, { minLength: 1, maxLength: 4 }), (lists) => {
        // Lists broken down from the same total, as the request reports are.
        const target = sum(lists[0] ?? []);
        const aligned = lists.map((values, i) => (i === 0 ? values : [...values.map(() => 0), target]));
        for (const published of suppressTogether(aligned)) {
          for (const p of [...published.values, ...(published.total ? [published.total] : [])]) {
            assert.doesNotMatch(publishedCsv(p), /^[1-4]$/);
          }
        }
      }),
      RUNS,
    );
  });

  test("(b) every line with a published total hides none or at least two of its values, grand totals included", () => {
    fc.assert(
      fc.property(table, (t) => {
        const result = suppressTable(t);
        for (const line of publishedLines(result)) {
          if (hidden(line.total)) continue;
          const n = line.cells.filter(hidden).length;
          assert.ok(n === 0 || n >= 2, `a line with a published total hides exactly one value`);
        }
      }),
      RUNS,
    );
  });

  test("(b) no hidden value of a one-column table can be worked out from its total", () => {
    fc.assert(
      fc.property(list, (values) => {
        const result = suppressList(values, { total: true });
        const total = result.total as Published;
        if (hidden(total)) return;
        // The reader's facts: each hidden value's range, and that the hidden values add up to the rest of the total.
        const rest = total.kind === "count" ? total.value - sum(result.values.map((p) => (p.kind === "count" ? p.value : 0))) : 0;
        const ranges: [number, number][] = result.values.filter(hidden).map((p) => (p.kind === "fewer-than-5" ? [1, 4] : [5, rest]));
        ranges.forEach(([lo, hi], i) => {
          const others = ranges.filter((_, j) => j !== i);
          const othersLo = sum(others.map(([l]) => l));
          const othersHi = sum(others.map(([, h]) => h));
          // Every whole number in [othersLo, othersHi] is reachable, so the value x is possible when rest − x is in it.
          let possible = 0;
          for (let x = lo; x <= hi; x += 1) if (rest - x >= othersLo && rest - x <= othersHi) possible += 1;
          assert.ok(possible >= 2, `hidden value ${i} of [${values.join(", ")}] can be worked out`);
        });
      }),
      RUNS,
    );
  });

  test("(b) no hidden value of a 2 × 2 table with all its totals can be worked out (every possibility tried)", () => {
    const small = fc.integer({ min: 0, max: 9 });
    fc.assert(
      fc.property(fc.array(small, { minLength: 4, maxLength: 4 }), ([a = 0, b = 0, c = 0, d = 0]) => {
        const result = suppressTable({ cells: [[a, b], [c, d]], totals: "both" });
        const pub = [...result.cells.flat(), ...(result.rowTotals ?? []), ...(result.columnTotals ?? []), result.grandTotal as Published];
        const truth = [a, b, c, d, a + b, c + d, a + c, b + d, a + b + c + d];
        const bound = Math.max(...truth) + 8;
        // A table withheld whole (every value "not shown", which ordinary suppression never produces) says nothing
        // about any value, not even that it is 5 or more.
        const withheld = pub.every((p) => p.kind === "not-shown");
        const notShownFrom = withheld ? 0 : 5;
        const domain = (p: Published, n: number): number[] => {
          if (p.kind === "count") return [n];
          const [lo, hi] = p.kind === "fewer-than-5" ? [1, 4] : [notShownFrom, bound];
          return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
        };
        const fits = (p: Published, n: number) =>
          p.kind === "count" ? p.value === n : p.kind === "fewer-than-5" ? n >= 1 && n <= 4 : n >= notShownFrom;
        const seen = pub.map(() => new Set<number>());
        for (const x of domain(pub[0] as Published, a))
          for (const y of domain(pub[1] as Published, b))
            for (const z of domain(pub[2] as Published, c))
              for (const w of domain(pub[3] as Published, d)) {
                const candidate = [x, y, z, w, x + y, z + w, x + z, y + w, x + y + z + w];
                if (candidate.every((n, i) => fits(pub[i] as Published, n))) candidate.forEach((n, i) => seen[i]?.add(n));
              }
        pub.forEach((p, i) => {
          if (hidden(p)) assert.ok((seen[i]?.size ?? 0) >= 2, `value ${i} of [[${a}, ${b}], [${c}, ${d}]] can be worked out`);
        });
      }),
      RUNS,
    );
  });

  test("(c) every published value is the true value", () => {
    fc.assert(
      fc.property(table, (t) => {
        const result = suppressTable(t);
        // A table withheld whole (its grand total is below 5 and would give its small cells away) publishes nothing,
        // zeros included: every value and total is "not shown".
        const published = [...result.cells.flat(), ...(result.rowTotals ?? []), ...(result.columnTotals ?? []), ...(result.grandTotal ? [result.grandTotal] : [])];
        const withheld = published.every((p) => p.kind === "not-shown");
        t.cells.forEach((row, r) =>
          row.forEach((n, c) => {
            const p = result.cells[r]?.[c] as Published;
            if (p.kind === "count") assert.equal(p.value, n);
            else assert.ok(n > 0 || withheld, "zero is never hidden, unless the table is withheld whole");
            if (n >= 1 && n <= 4) assert.equal(p.kind, withheld ? "not-shown" : "fewer-than-5");
          }),
        );
        result.rowTotals?.forEach((p, r) => p.kind === "count" && assert.equal(p.value, sum(t.cells[r] ?? [])));
        result.columnTotals?.forEach((p, c) => p.kind === "count" && assert.equal(p.value, sum(t.cells.map((row) => row[c] ?? 0))));
        if (result.grandTotal?.kind === "count") assert.equal(result.grandTotal.value, sum(t.cells.flat()));
        assert.equal(result.rowTotals !== null, t.totals === "rows" || t.totals === "both");
        assert.equal(result.columnTotals !== null, t.totals === "columns" || t.totals === "both");
      }),
      RUNS,
    );
  });

  test("tables that share a total publish it the same way", () => {
    fc.assert(
      fc.property(list, list, (first, second) => {
        const target = sum(first);
        // The second breakdown, scaled to the same total: its last value takes up the difference.
        const rest = sum(second.slice(0, -1));
        const aligned = rest <= target ? [...second.slice(0, -1), target - rest] : [target];
        const [x, y] = suppressTogether([first, aligned]);
        assert.deepEqual(x?.total, y?.total);
      }),
      RUNS,
    );
  });
});

describe("suppression examples", () => {
  test("small counts say fewer than 5; zero and 5 are shown", () => {
    assert.deepEqual(publishCount(0), { kind: "count", value: 0 });
    assert.deepEqual(publishCount(4), { kind: "fewer-than-5" });
    assert.deepEqual(publishCount(5), { kind: "count", value: 5 });
    assert.equal(publishedCsv(publishCount(3)), FEWER_THAN_5);
    assert.throws(() => publishCount(-1), RangeError);
    assert.throws(() => publishCount(1.5), RangeError);
  });

  test("a lone small value beside its total hides the next-smallest value too", () => {
    const result = suppressList([3, 12, 20], { total: true });
    assert.deepEqual(result.values.map(publishedCsv), [FEWER_THAN_5, NOT_SHOWN, "20"]);
    assert.deepEqual(result.total, { kind: "count", value: 35 });
    assert.equal(result.hasNotShown, true);
  });

  test("two small values that could only be 1 and 1 are protected", () => {
    // 1 + 1 = 2 is the only way two "fewer than 5" values make 2, so the 10 is hidden as well.
    const result = suppressList([1, 1, 10], { total: true });
    assert.deepEqual(result.values.map(publishedCsv), [FEWER_THAN_5, FEWER_THAN_5, NOT_SHOWN]);
    assert.deepEqual(result.total, { kind: "count", value: 12 });
  });

  test("a small value and a 5 that could only be 1 and 5 are protected", () => {
    const result = suppressList([1, 5, 20], { total: true });
    assert.deepEqual(result.values.map(publishedCsv), [FEWER_THAN_5, NOT_SHOWN, NOT_SHOWN]);
    assert.deepEqual(result.total, { kind: "count", value: 26 });
  });

  test("with nothing else to hide, the total is hidden", () => {
    const result = suppressList([2, 0, 0], { total: true });
    assert.deepEqual(result.values.map(publishedCsv), [FEWER_THAN_5, "0", "0"]);
    assert.equal(result.total?.kind, "fewer-than-5");
    const withSix = suppressList([0, 6], { total: true });
    assert.deepEqual(withSix.values.map(publishedCsv), ["0", "6"]);
    assert.deepEqual(withSix.total, { kind: "count", value: 6 });
  });

  test("a table whose small values give each other away is withheld whole", () => {
    // Four cells of "fewer than 5" under a grand total of "fewer than 5" could only all be 1.
    const result = suppressTable({ cells: [[1, 1], [1, 1]], totals: "both" });
    const all = [...result.cells.flat(), ...(result.rowTotals ?? []), ...(result.columnTotals ?? []), result.grandTotal];
    assert.ok(all.every((p) => p?.kind === "not-shown"));
    assert.equal(result.hasNotShown, true);
    // Three small cells and a zero leave each cell 1 or 2: published as usual.
    const withZero = suppressTable({ cells: [[1, 0], [1, 1]], totals: "both" });
    assert.deepEqual(withZero.cells.flat().map(publishedCsv), [FEWER_THAN_5, "0", FEWER_THAN_5, FEWER_THAN_5]);
  });

  test("no totals: only primary suppression", () => {
    const result = suppressList([3, 12, 20], { total: false });
    assert.deepEqual(result.values.map(publishedCsv), [FEWER_THAN_5, "12", "20"]);
    assert.equal(result.total, null);
    assert.equal(result.hasNotShown, false);
  });

  test("a two-way table protects rows, columns and the grand total", () => {
    const result = suppressTable({ cells: [[2, 10, 30], [8, 9, 40]], totals: "both" });
    for (const line of publishedLines(result)) {
      if (hidden(line.total)) continue;
      const n = line.cells.filter(hidden).length;
      assert.ok(n === 0 || n >= 2);
    }
    assert.equal(result.cells[0]?.[0]?.kind, "fewer-than-5");
  });

  test("tables sharing a total all hide it when one must", () => {
    // [1, 5] alone must hide its total (1 + 5 = 6 is the only way); the other breakdown of 6 must hide it too.
    const [a, b] = suppressTogether([[1, 5], [6, 0]]);
    assert.equal(a?.total?.kind, "not-shown");
    assert.equal(b?.total?.kind, "not-shown");
    assert.throws(() => suppressTogether([[1, 5], [7]]), RangeError);
  });
});
