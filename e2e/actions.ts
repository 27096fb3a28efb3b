import { expect, type APIRequestContext, type APIResponse, type Page, type Request } from "@playwright/test";

import { BASE_URL } from "./fixtures";

// ---------------------------------------------------------------------------------------------------------------
// Server actions: captured as the browser sends them, replayed with other cookies
// ---------------------------------------------------------------------------------------------------------------

export type Captured = { name: string; path: string; headers: Record<string, string>; body: string };

const isAction = (request: Request) => request.method() === "POST" && Boolean(request.headers()["next-action"]);

/**
 * The server-action request that `act` makes the browser send, stopped before it reaches the app, so capturing it
 * changes nothing. The page is reloaded afterwards (the form saw a failed request).
 */
export async function captureAction(page: Page, name: string, act: () => Promise<void>): Promise<Captured> {
  let captured: Captured | undefined;
  const matcher = (url: URL) => url.origin === BASE_URL;
  await page.route(matcher, async (route) => {
    const request = route.request();
    if (!isAction(request)) return route.continue();
    captured = { name, path: new URL(request.url()).pathname, headers: await request.allHeaders(), body: request.postData() ?? "" };
    return route.abort();
  });
  try {
    await act();
    await expect.poll(() => captured !== undefined, { message: `the ${name} action was sent` }).toBe(true);
  } finally {
    await page.unroute(matcher);
  }
  await page.reload();
  return captured as Captured;
}

/** Sends a captured action again with another person's cookies (or none). */
export function replayAction(api: APIRequestContext, action: Captured): Promise<APIResponse> {
  return api.post(new URL(action.path, BASE_URL).toString(), {
    headers: {
      "next-action": action.headers["next-action"] ?? "",
      "content-type": action.headers["content-type"] ?? "",
      accept: action.headers["accept"] ?? "text/x-component",
      "next-router-state-tree": action.headers["next-router-state-tree"] ?? "",
      // Our own origin: a refusal must come from who is asking, not from the cross-site check.
      origin: BASE_URL,
    },
    data: action.body,
    maxRedirects: 0,
  });
}
