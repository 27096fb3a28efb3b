import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { expectations, isOutcome, MATRIX, POVS } from "../e2e/permission-matrix";

// The permission matrix (e2e/permission-matrix.ts) must list every page, every route handler method and every
// exported server action, and nothing else: a new page or action that nobody put in the matrix is a page or action
// whose permissions nobody drives over HTTP (e2e/permission-matrix.spec.ts).

const ROOT = path.resolve(import.meta.dirname, "..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function filesUnder(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(relative) : [relative];
  });
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The source without comments, so a commented-out export or directive does not count. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** True when the module's first statement is the "use server" directive (a module of server actions). */
export function hasTopLevelUseServer(source: string): boolean {
  return /^\s*(["'])use server\1\s*;?/.test(withoutComments(source));
}

/** Every exported async function of a "use server" module, by name. */
export function exportedAsyncFunctions(source: string): string[] {
  const code = withoutComments(source);
  const names = new Set<string>();
  for (const match of code.matchAll(/^\s*export\s+async\s+function\s*\*?\s*([A-Za-z_$][\w$]*)/gm)) names.add(match[1] ?? "");
  for (const match of code.matchAll(/^\s*export\s+(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*async\b/gm)) names.add(match[1] ?? "");
  // export { a, b as c }: in a "use server" module every export is an action.
  for (const match of code.matchAll(/^\s*export\s*\{([^}]*)\}/gm)) {
    for (const part of (match[1] ?? "").split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  return [...names].filter(Boolean).sort();
}

/** The HTTP methods a route.ts exports: functions, constants and destructured handlers (Auth.js). */
export function exportedMethods(source: string): string[] {
  const code = withoutComments(source);
  const found = new Set<string>();
  for (const method of HTTP_METHODS) {
    const direct = new RegExp(`^\\s*export\\s+(?:async\\s+)?(?:function\\s+${method}\\b|(?:const|let|var)\\s+${method}\\b)`, "m");
    const listed = new RegExp(`^\\s*export\\s+(?:const|let|var)\\s*\\{[^}]*\\b${method}\\b[^}]*\\}`, "m");
    const reexported = new RegExp(`^\\s*export\\s*\\{[^}]*\\b${method}\\b[^}]*\\}`, "m");
    if (direct.test(code) || listed.test(code) || reexported.test(code)) found.add(method);
  }
  return [...found].sort();
}

/** What the app has now, in the matrix's own notation. */
function appTargets(): { page: string[]; route: string[]; action: string[] } {
  const app = filesUnder("app");
  const pages = app.filter((f) => f.endsWith("/page.tsx") || f === "app/page.tsx");
  const routes = app
    .filter((f) => /\/route\.(ts|tsx|js)$/.test(f))
    .flatMap((file) => {
      const methods = exportedMethods(read(file));
      // A route.ts that exports no method is itself something the matrix cannot cover.
      return methods.length ? methods.map((m) => `${m} ${file}`) : [`(no method) ${file}`];
    });
  const actions = ["app", "components", "lib"]
    .flatMap(filesUnder)
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .filter((f) => hasTopLevelUseServer(read(f)))
    .flatMap((file) => exportedAsyncFunctions(read(file)).map((name) => `${file}#${name}`));
  return { page: pages.sort(), route: routes.sort(), action: actions.sort() };
}

describe("the permission matrix", () => {
  const targets = appTargets();

  test("the scan finds the app's pages, route handlers and server actions (so the checks below mean something)", () => {
    assert.ok(targets.page.includes("app/requests/[id]/page.tsx"));
    assert.ok(targets.route.includes("GET app/api/health/route.ts"));
    assert.ok(targets.route.includes("POST app/api/auth/[...nextauth]/route.ts"));
    assert.ok(targets.action.includes("app/requests/[id]/actions.ts#replyAction"));
    // announceAction's signature spans several lines.
    assert.ok(targets.action.includes("app/networks/[slug]/manage/actions.ts#announceAction"));
    assert.ok(targets.page.length >= 40 && targets.action.length >= 40, JSON.stringify(targets));
  });

  for (const kind of ["page", "route", "action"] as const) {
    test(`every ${kind} is in the matrix, and every ${kind} row names one that exists`, () => {
      const listed = MATRIX.filter((r) => r.kind === kind).map((r) => r.target);
      const missing = targets[kind].filter((t) => !listed.includes(t));
      const stale = listed.filter((t) => !targets[kind].includes(t));
      assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
    });
  }

  test("no row is listed twice", () => {
    const seen = MATRIX.map((r) => `${r.kind} ${r.target}`);
    assert.deepEqual(seen.filter((t, i) => seen.indexOf(t) !== i), []);
  });

  test("every row has an outcome for each point of view, and only known outcome codes", () => {
    const problems = MATRIX.flatMap((r) => {
      const issues: string[] = [];
      if (r.cells.length !== POVS.length) issues.push(`${r.target}: ${r.cells.length} cells for ${POVS.length} points of view`);
      for (const code of r.cells) if (!isOutcome(code)) issues.push(`${r.target}: unknown outcome "${code}"`);
      return issues;
    });
    assert.deepEqual(problems, []);
    for (const r of MATRIX) assert.equal(Object.keys(expectations(r)).length, POVS.length);
  });

  test("the scanner itself: directives, exports and methods in their different spellings", () => {
    assert.equal(hasTopLevelUseServer(`// why\n"use server";\nexport async function a() {}`), true);
    assert.equal(hasTopLevelUseServer(`import x from "y";\nfunction f() { "use server"; }`), false);
    assert.equal(hasTopLevelUseServer(`// "use server";\nexport async function a() {}`), false);
    assert.deepEqual(
      exportedAsyncFunctions(`"use server";\nexport async function a(\n  p: T,\n) {}\nexport const b = async () => {};\nasync function c() {}\nexport { c as d };\n// export async function e() {}`),
      ["a", "b", "d"],
    );
    assert.deepEqual(exportedMethods(`export const { GET, POST } = handlers;`), ["GET", "POST"]);
    assert.deepEqual(exportedMethods(`export function GET() {}\nexport async function DELETE() {}`), ["DELETE", "GET"]);
    assert.deepEqual(exportedMethods(`export const PUT = handler;\n// export function POST() {}`), ["PUT"]);
  });
});
