import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import type { Db } from "@/db/client";
import { freshDatabase } from "./helpers";

// Issue 7, item 6: the text size preference. The form offers standard, large and larger; validation takes exactly
// those (the schema's TEXT_SIZES) and refuses anything else with the message the form shows.

type ValidationModule = typeof import("@/db/validation/account");
type SchemaModule = typeof import("@/db/schema");
type UsersModule = typeof import("@/db/queries/users");

let db: Db;
let validation: ValidationModule;
let schema: SchemaModule;
let users: UsersModule;

before(async () => {
  ({ db } = await freshDatabase());
  validation = await import("@/db/validation/account");
  schema = await import("@/db/schema");
  users = await import("@/db/queries/users");
});

describe("text size validation", () => {
  test("accepts standard, large and larger: every size the database can store", () => {
    assert.deepEqual([...schema.TEXT_SIZES], ["standard", "large", "larger"]);
    for (const textSize of ["standard", "large", "larger"]) {
      assert.deepEqual(validation.TextSizeInput.parse({ textSize }), { textSize });
    }
  });

  test("refuses nothing chosen and anything not offered, with the form's message", () => {
    for (const textSize of [undefined, "", "Large", "LARGER", "largest", "huge", " large", "larger ", "standard,large", 2, null]) {
      const result = validation.TextSizeInput.safeParse(textSize === undefined ? {} : { textSize });
      assert.ok(!result.success, JSON.stringify(textSize));
      assert.deepEqual(result.error.flatten().fieldErrors, { textSize: ["Choose a text size"] }, JSON.stringify(textSize));
    }
  });
});

describe("storing the text size", () => {
  test("each size is stored on the account and comes back with the signed-in user", () => {
    const id = randomUUID();
    db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, 'Tess Test')").run(id, `${id}@example.org`);
    for (const textSize of ["larger", "large", "standard"] as const) {
      const viewer = users.loadSessionUser(id);
      assert.ok(viewer);
      users.updateTextSize(viewer, textSize);
      assert.equal(users.loadSessionUser(id)?.textSize, textSize);
      assert.equal((db.$client.prepare("SELECT text_size FROM users WHERE id = ?").get(id) as { text_size: string }).text_size, textSize);
    }
  });
});
