import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import { safeCallbackPath } from "@/lib/auth/callback";
import { identityOf } from "@/lib/auth/oidc";
import { setTestEnv, TEST_APP_URL } from "./helpers";

type OriginModule = typeof import("@/lib/security/origin");

let origin: OriginModule;

before(async () => {
  // isSameOrigin reads APP_URL through env(), which parses process.env once.
  setTestEnv();
  origin = await import("@/lib/security/origin");
});

describe("isSameOrigin", () => {
  test("our own origin is accepted", () => {
    assert.equal(TEST_APP_URL, "http://localhost:3100");
    assert.equal(origin.isSameOrigin("http://localhost:3100"), true);
  });

  test("a missing Origin is refused", () => {
    assert.equal(origin.isSameOrigin(null), false);
    assert.equal(origin.isSameOrigin(undefined), false);
    assert.equal(origin.isSameOrigin(""), false);
  });

  test('the literal "null" origin is refused unless the browser marks the request same-origin', () => {
    assert.equal(origin.isSameOrigin("null"), false);
    for (const site of ["cross-site", "same-site", "none", null]) assert.equal(origin.isSameOrigin("null", site), false);
    // Our no-referrer policy makes browsers send "null" on our own plain form posts.
    assert.equal(origin.isSameOrigin("null", "same-origin"), true);
  });

  test("Sec-Fetch-Site cannot stand in for a missing or foreign Origin", () => {
    assert.equal(origin.isSameOrigin(null, "same-origin"), false);
    assert.equal(origin.isSameOrigin("http://evil.example", "same-origin"), false);
  });

  test("isSameOriginRequest reads both headers", () => {
    const headers = (values: Record<string, string>) => new Headers(values);
    assert.equal(origin.isSameOriginRequest(headers({ origin: "http://localhost:3100" })), true);
    assert.equal(origin.isSameOriginRequest(headers({ origin: "null", "sec-fetch-site": "same-origin" })), true);
    assert.equal(origin.isSameOriginRequest(headers({ origin: "null", "sec-fetch-site": "cross-site" })), false);
    assert.equal(origin.isSameOriginRequest(headers({})), false);
  });

  test("another host, port or scheme is refused", () => {
    assert.equal(origin.isSameOrigin("http://evil.example"), false);
    assert.equal(origin.isSameOrigin("http://localhost.evil.example:3100"), false);
    assert.equal(origin.isSameOrigin("http://127.0.0.1:3100"), false);
    assert.equal(origin.isSameOrigin("http://localhost:3101"), false);
    assert.equal(origin.isSameOrigin("http://localhost"), false);
    assert.equal(origin.isSameOrigin("https://localhost:3100"), false);
  });
});

describe("safeCallbackPath", () => {
  test("a path on this site is kept", () => {
    assert.equal(safeCallbackPath("/requests"), "/requests");
    assert.equal(safeCallbackPath("/requests/abc?tab=messages"), "/requests/abc?tab=messages");
  });

  for (const value of [null, undefined, "", "https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", "requests"]) {
    test(`${JSON.stringify(value) ?? "undefined"} becomes "/"`, () => {
      assert.equal(safeCallbackPath(value), "/");
    });
  }

  // Browsers (the WHATWG URL parser) delete every ASCII tab and newline from a URL before resolving it, so
  // "/\t/evil.example" in a Location header is followed as "//evil.example": another site. app/signin/route.ts
  // passes this value to redirect() for a signed-in person, and Next.js sends it verbatim as the Location.
  test("a path that becomes protocol-relative once a browser strips tabs is refused", () => {
    assert.equal(new URL("/\t/evil.example", "http://localhost:3100").host, "evil.example", "premise: the browser's view");
    assert.equal(safeCallbackPath("/\t/evil.example"), "/");
    assert.equal(safeCallbackPath("/\t\\evil.example"), "/");
  });
});

describe("identityOf", () => {
  test("lower-cases (and trims) the email address", () => {
    assert.deepEqual(identityOf({ sub: "1", email: " Alex.Staff@Example.ORG ", name: "Alex Staff" }), {
      email: "alex.staff@example.org",
      name: "Alex Staff",
    });
  });

  test("prefers email over upn and preferred_username", () => {
    const id = identityOf({ sub: "1", email: "a@example.org", upn: "b@example.org", preferred_username: "c@example.org" });
    assert.equal(id.email, "a@example.org");
  });

  test("falls back to upn when there is no email", () => {
    const id = identityOf({ sub: "1", upn: "Sam.Supporter@Force.Example", preferred_username: "sam" });
    assert.equal(id.email, "sam.supporter@force.example");
  });

  test("falls back to preferred_username when there is neither email nor upn", () => {
    const id = identityOf({ sub: "1", preferred_username: "CASEY.C" });
    assert.equal(id.email, "casey.c");
  });

  test("builds the name from given_name and family_name when there is no name", () => {
    assert.equal(identityOf({ sub: "1", email: "e@example.org", given_name: "Eve", family_name: "Equality" }).name, "Eve Equality");
    assert.equal(identityOf({ sub: "1", email: "e@example.org", given_name: "Eve" }).name, "Eve");
  });

  test("an explicit name wins over given_name and family_name", () => {
    assert.equal(
      identityOf({ sub: "1", email: "e@example.org", name: "Eve E.", given_name: "Eve", family_name: "Equality" }).name,
      "Eve E.",
    );
  });

  test("with no name at all, the name is the email address", () => {
    assert.equal(identityOf({ sub: "1", email: "E@Example.org" }).name, "e@example.org");
  });

  test("throws when the provider released no email or login name", () => {
    assert.throws(() => identityOf({ sub: "1", name: "Nobody" }), /did not release an email address or login name/);
    assert.throws(() => identityOf({ sub: "1", email: "   " }), /did not release an email address or login name/);
  });
});
