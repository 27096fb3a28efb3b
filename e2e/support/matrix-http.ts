import fs from "node:fs";
import path from "node:path";

import type { APIRequestContext, APIResponse } from "@playwright/test";

import { appProcessEnv, BASE_URL, IDP_URL } from "../fixtures";
import type { Fields } from "./matrix-probes";

// Plain HTTP for the permission matrix: GETs and POSTs without following redirects, server actions posted directly
// (as React's client encodes them) with their ids from the build's server reference manifest, and each response
// reduced to one of the matrix's outcome codes.

const ROOT = path.resolve(__dirname, "..", "..");

type ManifestEntry = { workers: Record<string, unknown>; filename?: string; exportedName?: string };
export type ActionRef = { id: string; workers: string[] };

/**
 * The build's server actions by "<file>#<exportedName>". The end-to-end run builds into the slot's own folder
 * (CONFIDE_DIST_DIR, passed to the app's environment); Next writes <distDir>/server/server-reference-manifest.json
 * as { node: { <action id>: { workers: { "app/…/page": … }, filename, exportedName } }, edge, encryptionKey }.
 */
export function serverActions(): Map<string, ActionRef> {
  const distDir = appProcessEnv().CONFIDE_DIST_DIR || ".next";
  const file = path.join(ROOT, distDir, "server", "server-reference-manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { node: Record<string, ManifestEntry> };
  const actions = new Map<string, ActionRef>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (!entry.filename || !entry.exportedName) throw new Error(`the manifest's entry ${id} has no filename or exportedName`);
    actions.set(`${entry.filename}#${entry.exportedName}`, { id, workers: Object.keys(entry.workers) });
  }
  return actions;
}

/** "/networks/x/manage" → "app/networks/[slug]/manage/page": the manifest's name for the page the form is on. */
export function workerMatches(worker: string, pathname: string): boolean {
  const pattern = worker
    .replace(/^app/, "")
    .replace(/\/page$/, "")
    .split("/")
    .map((segment) => (/^\[.+\]$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${pattern || "/"}$`).test(pathname);
}

export type Observed = { code: string; status: number; location: string; body: string };

const NOT_FOUND_PAYLOAD = "NEXT_HTTP_ERROR_FALLBACK;404";

/** The outcome code a page or route handler's response amounts to. */
export function classify(response: APIResponse, body: string): Observed {
  const status = response.status();
  const headers = response.headers();
  const location = headers["x-action-redirect"]?.split(";")[0] ?? headers["location"] ?? "";
  const base = { status, location, body };
  if (status === 404 || (status === 200 && body.includes(NOT_FOUND_PAYLOAD))) return { code: "404", ...base };
  if (status === 400 || status === 401) return { code: String(status), ...base };
  if (location && ((status >= 300 && status < 400) || headers["x-action-redirect"])) {
    const target = new URL(location, BASE_URL);
    if (target.origin === IDP_URL) return { code: "idp", ...base };
    if (target.origin !== BASE_URL) return { code: `elsewhere ${target.origin}`, ...base };
    if (target.pathname === "/signin") return { code: "signIn", ...base };
    return { code: `>${target.pathname}`, ...base };
  }
  if (status === 200) return { code: "ok", ...base };
  return { code: `HTTP ${status}`, ...base };
}

export async function request(api: APIRequestContext, method: "GET" | "POST", pathname: string): Promise<Observed> {
  const url = new URL(pathname, BASE_URL).toString();
  const response =
    method === "GET"
      ? await api.get(url, { maxRedirects: 0 })
      : await api.post(url, { maxRedirects: 0, headers: { origin: BASE_URL }, form: {} });
  return classify(response, await response.text());
}

/**
 * A server action posted the way React's client sends one from a form: multipart, the form's fields prefixed "_1_" and then
 * the arguments as part "0" (["$undefined", "$K1"] for (previous state, form), ["$K1"] for (form), [] for ()). Our own Origin, so that a refusal comes from who is asking and not from the cross-site check.
 */
export async function postAction(
  api: APIRequestContext,
  action: ActionRef,
  pagePath: string,
  args: "state" | "form" | "none",
  fields: Fields,
): Promise<Observed> {
  const multipart = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    const part = typeof value === "string" ? value : new File([new Uint8Array(value.buffer)], value.name, { type: value.mimeType });
    multipart.append(`_1_${name}`, part);
  }
  // Last, as React sends it: the decoder collects the form's fields when it reads the arguments.
  multipart.append("0", JSON.stringify(args === "state" ? ["$undefined", "$K1"] : args === "form" ? ["$K1"] : []));
  const response = await api.post(new URL(pagePath, BASE_URL).toString(), {
    headers: { "next-action": action.id, origin: BASE_URL, accept: "text/x-component" },
    multipart,
    maxRedirects: 0,
  });
  return classify(response, await response.text());
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
