import { and, eq, sql } from "drizzle-orm";

import { db } from "@/db/client";
import { roleGrants, users } from "@/db/schema";
import { audit } from "@/lib/audit";

// npm run grant -- <email> equality-unit [--revoke]
// The way to appoint the first Equality Unit member; later ones can be appointed in the app.
const ROLE_NAMES = { "equality-unit": "equality_unit" } as const;

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run grant -- <email> equality-unit [--revoke]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const revoke = args.includes("--revoke");
const [email, roleName] = args.filter((a) => a !== "--revoke");
if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) usage("Give the person's email address.");
if (!roleName || !(roleName in ROLE_NAMES)) usage(`Unknown role "${roleName ?? ""}".`);
const role = ROLE_NAMES[roleName as keyof typeof ROLE_NAMES];
const normalised = email.toLowerCase();

const userId = db.transaction((tx) => {
  // Someone who has never signed in gets a staff record now; single sign-on matches it by email later.
  const existing = tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${normalised}`).get();
  const id = existing?.id ?? tx.insert(users).values({ email: normalised }).returning({ id: users.id }).get().id;
  if (revoke) {
    tx.delete(roleGrants).where(and(eq(roleGrants.userId, id), eq(roleGrants.role, role))).run();
  } else {
    tx.insert(roleGrants).values({ userId: id, role }).onConflictDoNothing().run();
  }
  return id;
});
audit({ actorId: null, action: revoke ? "role.revoked" : "role.granted", objectType: "user", objectId: userId, outcome: "success" });
console.log(`${revoke ? "Revoked" : "Granted"} ${roleName} ${revoke ? "from" : "to"} ${normalised}.`);
