import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { ROOT } from "./helpers";

// npm audit is unavailable here, so this test stands in for it: it reads the versions actually INSTALLED in
// node_modules (not the ranges in package.json, which a lockfile may satisfy with an older release) and fails
// when one is below the release that fixed a known vulnerability. Raise a floor when a new advisory lands.

// ---------------------------------------------------------------------------------------------------------------
// A small semver comparison (https://semver.org/#spec-item-11), enough for floors with prerelease tags.
// ---------------------------------------------------------------------------------------------------------------

type SemVer = { major: number; minor: number; patch: number; prerelease: (string | number)[] };

function parseVersion(version: string): SemVer {
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
    version.trim(),
  );
  if (!match) throw new Error(`not a semantic version: ${JSON.stringify(version)}`);
  const [, major, minor, patch, pre] = match;
  return {
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: pre ? pre.split(".").map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [],
  };
}

function compareIdentifiers(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return Math.sign(a - b);
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Negative when a < b, zero when equal in precedence (build metadata is ignored), positive when a > b.
function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (const key of ["major", "minor", "patch"] as const) {
    if (x[key] !== y[key]) return Math.sign(x[key] - y[key]);
  }
  // A release has higher precedence than any of its prereleases.
  if (x.prerelease.length === 0 || y.prerelease.length === 0) {
    return Math.sign(y.prerelease.length - x.prerelease.length);
  }
  for (let i = 0; i < Math.min(x.prerelease.length, y.prerelease.length); i++) {
    const order = compareIdentifiers(x.prerelease[i]!, y.prerelease[i]!);
    if (order !== 0) return order;
  }
  return Math.sign(x.prerelease.length - y.prerelease.length);
}

type Floor = {
  pkg: string;
  /** Lowest acceptable version: the release that fixed the advisories. */
  min: string;
  /** Exclusive upper bound, where a newer major or minor is known not to work here. */
  below?: string;
  /** Required exact version (a pin in DESIGN.md). */
  exact?: string;
  why: string;
};

// The problems of one installed version against its floor, as readable messages; empty when it is acceptable.
function floorViolations(floor: Floor, installed: string): string[] {
  const problems: string[] = [];
  if (compareVersions(installed, floor.min) < 0) {
    problems.push(`${floor.pkg} ${installed} is below the patched floor ${floor.min} (${floor.why})`);
  }
  if (floor.below && compareVersions(installed, floor.below) >= 0) {
    problems.push(`${floor.pkg} ${installed} must be below ${floor.below} (${floor.why})`);
  }
  if (floor.exact && compareVersions(installed, floor.exact) !== 0) {
    problems.push(`${floor.pkg} ${installed} must be exactly ${floor.exact} (${floor.why})`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// The floors. Advisory identifiers are those the project tracks (see the brief for this test and DESIGN.md).
// ---------------------------------------------------------------------------------------------------------------

const FLOORS: Floor[] = [
  {
    pkg: "next",
    min: "16.3.3",
    below: "17.0.0",
    why: "August 2026 security release GHSA-2xp9-vwfh-vxw4 / CVE-2026-75604, and the May and July 2026 releases; DESIGN.md pins 16.x",
  },
  {
    pkg: "react",
    min: "19.2.4",
    below: "20.0.0",
    why: "React Server Components advisories CVE-2025-55182, CVE-2025-55184, CVE-2026-23864",
  },
  {
    pkg: "react-dom",
    min: "19.2.4",
    below: "20.0.0",
    why: "React Server Components advisories CVE-2025-55182, CVE-2025-55184, CVE-2026-23864",
  },
  {
    pkg: "next-auth",
    min: "5.0.0-beta.30",
    exact: "5.0.0-beta.32",
    why: "GHSA-5jpx-9hw9-2fx4; DESIGN.md pins next-auth@5.0.0-beta.32 exactly",
  },
  {
    pkg: "drizzle-orm",
    min: "0.45.2",
    below: "0.46.0",
    why: "CVE-2026-39356, SQL injection via identifiers; DESIGN.md pins 0.45.x",
  },
  {
    pkg: "better-sqlite3",
    min: "12.0.0",
    below: "13.0.0",
    why: "DESIGN.md pins ^12: 13 needs Node 22",
  },
];

function installedVersion(pkg: string): string {
  const file = path.join(ROOT, "node_modules", pkg, "package.json");
  assert.ok(fs.existsSync(file), `${pkg} is not installed (${file} is missing)`);
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
  assert.equal(manifest.name, pkg, `${file} is not ${pkg}'s manifest`);
  assert.ok(manifest.version, `${file} has no version`);
  return manifest.version;
}

describe("semver comparison", () => {
  const ascending = [
    "0.45.1",
    "0.45.2",
    "0.45.10",
    "0.46.0",
    "5.0.0-alpha.1",
    "5.0.0-beta.2",
    "5.0.0-beta.9",
    "5.0.0-beta.10",
    "5.0.0-beta.30",
    "5.0.0-beta.32",
    "5.0.0-rc.1",
    "5.0.0",
    "5.0.1",
    "16.3.2",
    "16.3.3",
    "16.4.6",
    "16.10.0",
    "19.2.3",
    "19.2.4",
    "19.3.1",
  ];

  test("orders versions by precedence, numerically rather than by string", () => {
    for (let i = 0; i < ascending.length; i++) {
      for (let j = 0; j < ascending.length; j++) {
        const expected = Math.sign(i - j);
        assert.equal(compareVersions(ascending[i]!, ascending[j]!), expected, `${ascending[i]} vs ${ascending[j]}`);
      }
    }
  });

  test("prerelease tags: beta.30 < beta.32 < 5.0.0", () => {
    assert.ok(compareVersions("5.0.0-beta.30", "5.0.0-beta.32") < 0);
    assert.ok(compareVersions("5.0.0-beta.32", "5.0.0") < 0);
    assert.ok(compareVersions("5.0.0", "5.0.0-beta.32") > 0);
    assert.ok(compareVersions("5.0.0-beta.32", "4.24.11") > 0, "a prerelease of 5 is above any 4.x");
  });

  test("prerelease identifiers follow the spec: numeric < alphanumeric, shorter < longer", () => {
    assert.ok(compareVersions("1.0.0-1", "1.0.0-alpha") < 0);
    assert.ok(compareVersions("1.0.0-alpha", "1.0.0-alpha.1") < 0);
    assert.ok(compareVersions("1.0.0-alpha.beta", "1.0.0-beta") < 0);
  });

  test("build metadata is ignored and malformed versions are rejected", () => {
    assert.equal(compareVersions("1.2.3+build.5", "1.2.3"), 0);
    assert.throws(() => compareVersions("16.3", "16.3.3"), /not a semantic version/);
    assert.throws(() => compareVersions("latest", "16.3.3"), /not a semantic version/);
  });

  test("a version below its floor is reported, naming the package and the floor", () => {
    const next = FLOORS.find((f) => f.pkg === "next")!;
    const problems = floorViolations(next, "16.3.2");
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /next 16\.3\.2 is below the patched floor 16\.3\.3/);
    assert.deepEqual(floorViolations(next, "16.3.3"), []);
    assert.equal(floorViolations(next, "17.0.0").length, 1, "a major beyond the pin is reported");
  });

  test("a prerelease below its floor, or not the pinned one, is reported", () => {
    const nextAuth = FLOORS.find((f) => f.pkg === "next-auth")!;
    assert.equal(floorViolations(nextAuth, "5.0.0-beta.29").length, 2, "below the floor and not the pin");
    assert.equal(floorViolations(nextAuth, "5.0.0-beta.31").length, 1, "above the floor but not the pin");
    assert.deepEqual(floorViolations(nextAuth, "5.0.0-beta.32"), []);
  });

  test("drizzle-orm must stay within 0.45.x from 0.45.2", () => {
    const drizzle = FLOORS.find((f) => f.pkg === "drizzle-orm")!;
    assert.equal(floorViolations(drizzle, "0.45.1").length, 1);
    assert.equal(floorViolations(drizzle, "0.46.0").length, 1);
    assert.deepEqual(floorViolations(drizzle, "0.45.2"), []);
  });
});

describe("installed dependencies are at or above their patched floors", () => {
  for (const floor of FLOORS) {
    test(`${floor.pkg} >= ${floor.min}${floor.below ? ` and < ${floor.below}` : ""}${floor.exact ? `, exactly ${floor.exact}` : ""}`, () => {
      const installed = installedVersion(floor.pkg);
      assert.deepEqual(floorViolations(floor, installed), []);
    });
  }

  test("react and react-dom are the same version (a mismatch fails at run time)", () => {
    assert.equal(installedVersion("react-dom"), installedVersion("react"));
  });
});
