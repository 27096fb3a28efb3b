import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { before, describe, test } from "node:test";

import { setTestEnv } from "./helpers";

let crypto: typeof import("@/lib/crypto");
const oldKey = randomBytes(32).toString("base64");
const newKey = randomBytes(32).toString("base64");

before(async () => {
  setTestEnv();
  process.env.CONFIDE_DATA_KEY = `1:${oldKey}`;
  crypto = await import("@/lib/crypto");
});

const context = { table: "support_requests", column: "message_cipher", rowId: "row-1" };

describe("field encryption", () => {
  test("round-trips text, including non-ASCII, and never stores the plaintext", () => {
    const text = "Marker-7f3a — personal mobile after 6pm, not at work ✓";
    const stored = crypto.encryptField(text, context);
    assert.ok(!stored.includes("Marker"), "ciphertext must not contain the plaintext");
    assert.match(stored, /^v1\./);
    assert.equal(crypto.decryptField(stored, context), text);
  });

  test("the same text encrypts differently each time (random IV)", () => {
    assert.notEqual(crypto.encryptField("same", context), crypto.encryptField("same", context));
  });

  test("a value moved to another row, column or table does not decrypt", () => {
    const stored = crypto.encryptField("secret", context);
    for (const other of [
      { ...context, rowId: "row-2" },
      { ...context, column: "safe_contact_cipher" },
      { ...context, table: "request_messages" },
    ]) {
      assert.throws(() => crypto.decryptField(stored, other), crypto.DecryptionError);
    }
  });

  test("a tampered ciphertext or tag is refused", () => {
    const stored = crypto.encryptField("secret", context);
    const parts = stored.split(".");
    const flipped = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    assert.throws(() => crypto.decryptField([parts[0], parts[1], flipped(parts[2] ?? ""), parts[3]].join("."), context));
    assert.throws(() => crypto.decryptField([parts[0], parts[1], parts[2], flipped(parts[3] ?? "")].join("."), context));
    assert.throws(() => crypto.decryptField("not-a-ciphertext", context), crypto.DecryptionError);
  });

  test("after rotation new values use the newest key and old values stay readable", async () => {
    const before = crypto.encryptField("written with key 1", context);
    // env() is parsed once per process; add key 2 to the live configuration as "1:<old>,2:<new>" would.
    const { env } = await import("@/lib/env");
    const original = env().CONFIDE_DATA_KEY;
    original.set(2, Buffer.from(newKey, "base64"));
    try {
      const after = crypto.encryptField("written with key 2", context);
      assert.match(after, /^v2\./);
      assert.equal(crypto.decryptField(before, context), "written with key 1");
      assert.equal(crypto.decryptField(after, context), "written with key 2");
    } finally {
      original.delete(2);
    }
    assert.throws(() => crypto.decryptField(crypto.encryptField("x", context).replace(/^v1/, "v2"), context));
  });
});
