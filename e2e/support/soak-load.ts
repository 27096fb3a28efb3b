import { randomUUID } from "node:crypto";

import type { ActionRef } from "./matrix-http";

// The simulated users of e2e/soak.spec.ts, driven over plain HTTP with the session cookies they got by signing in
// through the dev IdP: page GETs, and server actions posted the way React's client posts them (as
// e2e/support/matrix-http.ts does, but to the soak's own app, whose origin differs from the shared run's). Every write
// the app acknowledged is recorded for the checks afterwards, and every body fetched is searched for the markers
// that only requests and messages carry, so that a marker reaching anyone but the two people in that conversation is
// caught wherever it shows.

export const MARKER = /SOAK-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const NOT_FOUND_PAYLOAD = "NEXT_HTTP_ERROR_FALLBACK;404";
// db/queries/requests REQUESTS_PER_HOUR: a requester sends no more than the app allows.
const REQUESTS_PER_USER = 5;

export type SoakUser = { email: string; userId: string; cookie: string; supporterId?: string };

export type Actions = { sendRequest: ActionRef; reply: ActionRef; join: ActionRef; leave: ActionRef };

export type Membership = { userId: string; slug: string; op: "join" | "leave"; acked: boolean };

export type Ledger = {
  /** Acknowledged requests: id → who asked whom and the marker in the words. */
  requests: Map<string, { requesterId: string; supporterUserId: string; marker: string }>;
  /** Acknowledged replies, by request; attempts counts every reply posted, acknowledged or not. */
  replies: { requestId: string; authorId: string; marker: string }[];
  replyAttempts: Map<string, number>;
  /** Every join or leave posted, in each person's order. */
  memberships: Membership[];
  /** marker → the ids of the only people who may ever see it. */
  allowed: Map<string, Set<string>>;
  /** Markers seen by someone not allowed to, with where. */
  leaks: string[];
  /** "<request id> <user id>": someone outside the conversation has asked for the request's page. */
  probed: Set<string>;
  /** Requests opened by someone outside the conversation, with who. */
  opened: string[];
  serverErrors: string[];
  latencies: number[];
  responses: number;
  writesAcked: number;
};

export function newLedger(): Ledger {
  return {
    requests: new Map(),
    replies: [],
    replyAttempts: new Map(),
    memberships: [],
    allowed: new Map(),
    leaks: [],
    probed: new Set(),
    opened: [],
    serverErrors: [],
    latencies: [],
    responses: 0,
    writesAcked: 0,
  };
}

type Reply = { status: number; body: string; redirect: string };

export class SoakClient {
  constructor(
    private readonly appUrl: string,
    private readonly ledger: Ledger,
  ) {}

  private async send(user: SoakUser, label: string, init: RequestInit & { url: string }): Promise<Reply> {
    const started = performance.now();
    const response = await fetch(init.url, { ...init, redirect: "manual", headers: { ...init.headers, cookie: user.cookie } });
    const body = await response.text();
    this.ledger.latencies.push(performance.now() - started);
    this.ledger.responses += 1;
    if (response.status >= 500) this.ledger.serverErrors.push(`${response.status} ${label} as ${user.email}`);
    this.scan(user, label, body);
    const redirect = response.headers.get("x-action-redirect")?.split(";")[0] ?? response.headers.get("location") ?? "";
    return { status: response.status, body, redirect };
  }

  /** Records every marker in `body` that `user` may not see. */
  scan(user: SoakUser, label: string, body: string): void {
    for (const [marker] of body.matchAll(MARKER)) {
      const allowed = this.ledger.allowed.get(marker);
      if (!allowed?.has(user.userId)) this.ledger.leaks.push(`${marker} in ${label} as ${user.email}`);
    }
  }

  get(user: SoakUser, pathname: string): Promise<Reply> {
    return this.send(user, `GET ${pathname}`, { url: `${this.appUrl}${pathname}`, method: "GET" });
  }

  /** True when the page was refused as missing: a 404 status, or the not-found payload of a streamed page. */
  static notFound(reply: Reply): boolean {
    return reply.status === 404 || (reply.status === 200 && reply.body.includes(NOT_FOUND_PAYLOAD));
  }

  /** A server action as React's client posts a form: fields "_1_"-prefixed, then the arguments as part "0". */
  post(user: SoakUser, action: ActionRef, pathname: string, args: "state" | "form", fields: Record<string, string>): Promise<Reply> {
    const multipart = new FormData();
    for (const [name, value] of Object.entries(fields)) multipart.append(`_1_${name}`, value);
    multipart.append("0", JSON.stringify(args === "state" ? ["$undefined", "$K1"] : ["$K1"]));
    return this.send(user, `POST ${pathname}`, {
      url: `${this.appUrl}${pathname}`,
      method: "POST",
      headers: { "next-action": action.id, origin: this.appUrl, accept: "text/x-component" },
      body: multipart,
    });
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Scenario = {
  client: SoakClient;
  ledger: Ledger;
  actions: Actions;
  supporters: SoakUser[];
  networks: readonly string[];
  deadline: number;
};

/** One person's session until the deadline: looking around, asking for support, replying, joining and leaving. */
export async function runUser(user: SoakUser, scenario: Scenario): Promise<void> {
  const { client, ledger, actions, supporters, networks, deadline } = scenario;
  const started = Date.now();
  const mine = () => [...ledger.requests].filter(([, r]) => r.requesterId === user.userId || r.supporterUserId === user.userId).map(([id]) => id);
  const joined = new Set<string>();
  let sent = 0;

  const ask = async () => {
    const supporter = pick(supporters.filter((s) => s.userId !== user.userId));
    const marker = `SOAK-${randomUUID()}`;
    ledger.allowed.set(marker, new Set([user.userId, supporter.userId]));
    sent += 1;
    const path = `/supporters/${supporter.supporterId}/contact`;
    const reply = await client.post(user, actions.sendRequest, path, "state", {
      supporterId: supporter.supporterId ?? "",
      category: "wellbeing",
      message: `Soak test request. ${marker}`,
      contactMethod: "in_app",
      acknowledgeLimits: "yes",
    });
    const id = /\/contact\/sent\/([0-9a-f-]{36})$/.exec(reply.redirect)?.[1];
    if (id) {
      ledger.requests.set(id, { requesterId: user.userId, supporterUserId: supporter.userId, marker });
      ledger.writesAcked += 1;
    }
  };

  const replyTo = async (requestId: string) => {
    const request = ledger.requests.get(requestId);
    if (!request) return;
    const marker = `SOAK-${randomUUID()}`;
    ledger.allowed.set(marker, new Set([request.requesterId, request.supporterUserId]));
    const key = `${requestId} ${user.userId}`;
    ledger.replyAttempts.set(key, (ledger.replyAttempts.get(key) ?? 0) + 1);
    const reply = await client.post(user, actions.reply, `/requests/${requestId}`, "state", { requestId, body: `Soak reply. ${marker}` });
    if (reply.redirect === `/requests/${requestId}?done=replied`) {
      ledger.replies.push({ requestId, authorId: user.userId, marker });
      ledger.writesAcked += 1;
    }
  };

  const toggleNetwork = async () => {
    const slug = pick(networks);
    const op = joined.has(slug) ? "leave" : "join";
    const reply = await client.post(
      user,
      op === "join" ? actions.join : actions.leave,
      `/networks/${slug}`,
      "state",
      op === "join" ? { slug, visibility: pick(["visible", "silent"]) } : { slug },
    );
    const acked = reply.status === 200 && reply.body.includes('"ok":true');
    ledger.memberships.push({ userId: user.userId, slug, op, acked });
    if (acked) {
      ledger.writesAcked += 1;
      if (op === "join") joined.add(slug);
      else joined.delete(slug);
    }
  };

  // Asks for someone else's request by its id, as a curious or hostile colleague would: the answer must be the
  // same 404 as for a request that does not exist.
  const probe = async () => {
    const target = [...ledger.requests].find(
      ([id, r]) => r.requesterId !== user.userId && r.supporterUserId !== user.userId && !ledger.probed.has(`${id} ${user.userId}`),
    );
    if (!target) return false;
    await probeRequest(client, ledger, user, target[0]);
    return true;
  };

  const pages = user.supporterId
    ? ["/", "/inbox", "/requests", "/notifications", "/account", "/networks", "/supporters"]
    : ["/", "/supporters", "/networks", "/requests", "/notifications", "/account", "/help"];
  while (Date.now() < deadline) {
    const roll = Math.random();
    const own = mine();
    // Requests spread over the run, within the app's hourly limit.
    const askDue = !user.supporterId && sent < REQUESTS_PER_USER && Date.now() - started > (sent * (deadline - started)) / REQUESTS_PER_USER;
    if (askDue) await ask();
    else if (roll < 0.25 && own.length > 0) await replyTo(pick(own));
    else if (roll < 0.4) await toggleNetwork();
    else if (roll < 0.55 && own.length > 0) await client.get(user, `/requests/${pick(own)}`);
    else if (roll < 0.8 && (await probe())) {
      // probed someone else's request
    } else await client.get(user, pick(pages));
    // A person reads a page before the next step. About a second keeps twenty people near 15-20 requests a second:
    // steady load for the server, without starving the journeys that run beside the soak on this 2-core machine.
    await pause(600 + Math.random() * 900);
  }
}

/** `user` (not in the request's conversation) asks for its page; anything but a 404 is recorded. */
export async function probeRequest(client: SoakClient, ledger: Ledger, user: SoakUser, requestId: string): Promise<void> {
  ledger.probed.add(`${requestId} ${user.userId}`);
  const page = await client.get(user, `/requests/${requestId}`);
  if (!SoakClient.notFound(page)) ledger.opened.push(`${user.email} got ${page.status} for ${requestId}`);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
