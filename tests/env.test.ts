import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";

// parseEnv is pure (it reads only the record it is given), so importing lib/env statically is safe.
import { ConfigError, parseEnv } from "@/lib/env";

type Source = Record<string, string | undefined>;

const KEY_1 = randomBytes(32);
const KEY_2 = randomBytes(32);

function development(overrides: Source = {}): Source {
  return {
    NODE_ENV: "development",
    AUTH_SECRET: "a".repeat(32),
    AUTH_OIDC_ISSUER: "http://localhost:3001",
    AUTH_OIDC_ID: "confide-dev",
    AUTH_OIDC_SECRET: "confide-dev-secret",
    CONFIDE_DATA_KEY: `1:${KEY_1.toString("base64")}`,
    ...overrides,
  };
}

function production(overrides: Source = {}): Source {
  return {
    NODE_ENV: "production",
    APP_URL: "https://confide.intranet.example.police.uk",
    AUTH_SECRET: randomBytes(32).toString("hex"),
    AUTH_OIDC_ISSUER: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
    AUTH_OIDC_ID: "confide-prod",
    AUTH_OIDC_SECRET: "a-real-client-secret",
    CONFIDE_DATA_KEY: `1:${KEY_1.toString("base64")}`,
    SMTP_URL: "smtp://mail.intranet.example.police.uk:25",
    ...overrides,
  };
}

// Asserts a ConfigError whose message names the variable at fault.
function assertRefused(source: Source, variable: string): void {
  assert.throws(
    () => parseEnv(source),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.match(error.message, new RegExp(`\\b${variable}\\b`), `message should name ${variable}: ${error.message}`);
      return true;
    },
  );
}

describe("parseEnv: development", () => {
  test("a complete development configuration parses and fills the defaults", () => {
    const cfg = parseEnv(development());
    assert.equal(cfg.NODE_ENV, "development");
    assert.equal(cfg.CONFIDE_ENV, "development");
    assert.equal(cfg.FORCE_NAME, "Midshire Police");
    assert.equal(cfg.QUICK_EXIT_URL, "https://www.bbc.co.uk/weather");
    assert.equal(cfg.DATABASE_PATH, ".data/confide.db");
    assert.equal(cfg.RETENTION_DAYS, 90);
    assert.equal(cfg.APP_URL, "http://localhost:3000");
    assert.equal(cfg.AUTH_OIDC_ISSUER, "http://localhost:3001");
    assert.equal(cfg.SMTP_URL, undefined);
  });

  test("explicit values override the defaults (RETENTION_DAYS is coerced to a number)", () => {
    const cfg = parseEnv(
      development({ FORCE_NAME: "Northshire Police", RETENTION_DAYS: "30", DATABASE_PATH: "/tmp/x.db" }),
    );
    assert.equal(cfg.FORCE_NAME, "Northshire Police");
    assert.equal(cfg.RETENTION_DAYS, 30);
    assert.equal(cfg.DATABASE_PATH, "/tmp/x.db");
  });

  for (const variable of ["AUTH_SECRET", "AUTH_OIDC_ISSUER", "AUTH_OIDC_ID", "AUTH_OIDC_SECRET", "CONFIDE_DATA_KEY"]) {
    test(`a missing ${variable} is refused with a ConfigError naming it`, () => {
      assertRefused(development({ [variable]: undefined }), variable);
    });
  }

  test("an AUTH_SECRET shorter than 32 characters is refused", () => {
    assertRefused(development({ AUTH_SECRET: "a".repeat(31) }), "AUTH_SECRET");
  });

  test("a data key that is not 32 bytes is refused", () => {
    assertRefused(development({ CONFIDE_DATA_KEY: `1:${randomBytes(16).toString("base64")}` }), "CONFIDE_DATA_KEY");
    assertRefused(development({ CONFIDE_DATA_KEY: `1:${randomBytes(33).toString("base64")}` }), "CONFIDE_DATA_KEY");
    // One good version does not excuse a bad one.
    assertRefused(
      development({ CONFIDE_DATA_KEY: `1:${KEY_1.toString("base64")},2:${randomBytes(31).toString("base64")}` }),
      "CONFIDE_DATA_KEY",
    );
  });

  test("a data key without a version is refused", () => {
    assertRefused(development({ CONFIDE_DATA_KEY: KEY_1.toString("base64") }), "CONFIDE_DATA_KEY");
  });

  test("versioned keys 1:...,2:... parse into a Map holding both versions", () => {
    const cfg = parseEnv(
      development({ CONFIDE_DATA_KEY: `1:${KEY_1.toString("base64")},2:${KEY_2.toString("base64")}` }),
    );
    assert.ok(cfg.CONFIDE_DATA_KEY instanceof Map);
    assert.equal(cfg.CONFIDE_DATA_KEY.size, 2);
    assert.deepEqual([...cfg.CONFIDE_DATA_KEY.keys()].sort(), [1, 2]);
    assert.ok(cfg.CONFIDE_DATA_KEY.get(1)?.equals(KEY_1), "version 1 holds the first key");
    assert.ok(cfg.CONFIDE_DATA_KEY.get(2)?.equals(KEY_2), "version 2 holds the second key");
  });
});

describe("parseEnv: production", () => {
  test("production with an https issuer, https APP_URL, SMTP and all secrets parses", () => {
    const cfg = parseEnv(production());
    assert.equal(cfg.CONFIDE_ENV, "production");
    assert.equal(cfg.APP_URL, "https://confide.intranet.example.police.uk");
    assert.equal(cfg.SMTP_URL, "smtp://mail.intranet.example.police.uk:25");
  });

  // NODE_ENV=production with no CONFIDE_ENV means production; so does CONFIDE_ENV=production on its own.
  const modes: [string, Source][] = [
    ["NODE_ENV=production without CONFIDE_ENV", {}],
    ["CONFIDE_ENV=production", { NODE_ENV: "development", CONFIDE_ENV: "production" }],
  ];
  for (const [label, mode] of modes) {
    test(`${label}: the configuration with mode applied parses and is production`, () => {
      assert.equal(parseEnv(production(mode)).CONFIDE_ENV, "production");
    });

    for (const issuer of ["http://localhost:3101", "http://127.0.0.1:3101", "https://localhost/realms/x"]) {
      test(`${label}: refuses the loopback (development) identity provider ${issuer}`, () => {
        assertRefused(production({ ...mode, AUTH_OIDC_ISSUER: issuer }), "AUTH_OIDC_ISSUER");
      });
    }

    test(`${label}: refuses an http APP_URL`, () => {
      assertRefused(production({ ...mode, APP_URL: "http://confide.intranet.example.police.uk" }), "APP_URL");
    });

    test(`${label}: refuses the default (http) APP_URL when none is given`, () => {
      assertRefused(production({ ...mode, APP_URL: undefined }), "APP_URL");
    });

    test(`${label}: requires SMTP_URL`, () => {
      assertRefused(production({ ...mode, SMTP_URL: undefined }), "SMTP_URL");
    });

    test(`${label}: still requires every secret`, () => {
      assertRefused(production({ ...mode, AUTH_OIDC_SECRET: undefined }), "AUTH_OIDC_SECRET");
      assertRefused(production({ ...mode, CONFIDE_DATA_KEY: undefined }), "CONFIDE_DATA_KEY");
    });
  }

  test("CONFIDE_ENV=demo runs the production build against the dev IdP: a localhost issuer parses", () => {
    const cfg = parseEnv({
      ...development(),
      NODE_ENV: "production",
      CONFIDE_ENV: "demo",
      AUTH_OIDC_ISSUER: "http://localhost:3001",
      APP_URL: "http://localhost:3000",
      MAIL_OUTBOX_DIR: "/tmp/outbox",
    });
    assert.equal(cfg.NODE_ENV, "production");
    assert.equal(cfg.CONFIDE_ENV, "demo");
    assert.equal(cfg.AUTH_OIDC_ISSUER, "http://localhost:3001");
  });

  test("an unknown CONFIDE_ENV is refused rather than treated as non-production", () => {
    assertRefused(production({ CONFIDE_ENV: "prod" }), "CONFIDE_ENV");
  });
});
