import fs from "node:fs";

import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";

import { runMigrations } from "@/db/migrate";
import * as schema from "@/db/schema";
import { encryptField } from "@/lib/crypto";
import { CONTACT_METHODS, LANGUAGES, REQUEST_CATEGORIES, REQUEST_OUTCOMES, SPECIALISMS } from "@/lib/vocabulary";

// Synthetic data at force scale for the benchmark (npm run seed:scale, npm run bench). Everything is generated from
// a fixed seed, so two runs build the same database, and written with prepared statements in large transactions
// (journal off while seeding; the file is switched to WAL at the end, as the app expects).
// The encryption is the app's own (lib/crypto): the app decrypts what is seeded here, with the same key.

export type ScaleSize = {
  staff: number;
  supporters: number;
  networks: number;
  memberships: number;
  bigNetworkMembers: number;
  requests: number;
  messages: number;
};

export const SIZES = {
  small: { staff: 1_000, supporters: 100, networks: 30, memberships: 2_000, bigNetworkMembers: 100, requests: 5_000, messages: 20_000 },
  large: { staff: 50_000, supporters: 1_000, networks: 30, memberships: 100_000, bigNetworkMembers: 5_000, requests: 250_000, messages: 1_000_000 },
} as const satisfies Record<string, ScaleSize>;
export type SizeName = keyof typeof SIZES;

/** The people and things the benchmark signs in as and asks for; the same roles at every size. */
export type ScaleManifest = {
  size: ScaleSize;
  staff: { userId: string; email: string };
  supporter: { userId: string; email: string; supporterId: string };
  profileSupporterId: string;
  requester: { userId: string; email: string };
  conversationId: string;
  coordinator: { userId: string; email: string };
  bigNetworkSlug: string;
  equalityUnit: { userId: string; email: string };
  lastDirectoryPage: number;
};

const FIRST = ["Aaliyah", "Ben", "Chloe", "Dev", "Ella", "Farid", "Grace", "Harun", "Isla", "Jack", "Kiran", "Laura", "Mo", "Nia",
  "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tom", "Uma", "Vik", "Wendy", "Xavier", "Yasmin", "Zac"];
const LAST = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fisher", "Green", "Hughes", "Iqbal", "Jones", "Khan", "Lewis",
  "Morris", "Nowak", "Owusu", "Patel", "Quigley", "Roberts", "Singh", "Taylor", "Usman", "Vaughan", "Walker", "Young"];
const DEPARTMENTS = ["Response Policing", "Neighbourhood Policing", "Criminal Investigation Department", "Custody",
  "Contact Management", "Intelligence", "Roads Policing", "Public Protection", "Professional Standards", "HR", "Finance",
  "Digital Forensics", "Training", "Operational Support", "Corporate Communications"];
const SITES = ["Force HQ", "Euston Road", "Loughborough", "Coalville", "Hinckley", "Melton Mowbray", "Market Harborough",
  "Oakham", "Wigston", "Beaumont Leys", "Keyworth", "Braunstone", "Syston", "Lutterworth", "Ashby", "Oadby", "Enderby",
  "Shepshed", "Uppingham", "Blaby"];
const RANKS = ["Police Constable", "Detective Constable", "Police Sergeant", "Inspector", "Chief Inspector",
  "Police Community Support Officer", "Special Constable", "Call Handler", "Police Staff – Analyst", "Police Staff – HR Adviser"];
const CATEGORIES = Object.keys(REQUEST_CATEGORIES) as (keyof typeof REQUEST_CATEGORIES)[];
const OUTCOMES = Object.keys(REQUEST_OUTCOMES);
const DAY = 86_400_000;

// A small, fast generator with a fixed seed (mulberry32): the same database every run.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// UUID-shaped ids from the generator: random-looking (as the app's are) yet repeatable.
function uuidFrom(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function seedScale(file: string, size: ScaleSize, now: Date, log: (line: string) => void = console.log): ScaleManifest {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  const sqlite = new Database(file);
  runMigrations(drizzle(sqlite, { schema }));
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  sqlite.pragma("foreign_keys = OFF");

  const next = random(20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const started = Date.now();
  const batched = (label: string, total: number, write: (i: number) => void) => {
    const BATCH = 20_000;
    for (let from = 0; from < total; from += BATCH) {
      sqlite.transaction(() => {
        for (let i = from; i < Math.min(total, from + BATCH); i += 1) write(i);
      })();
      if (total >= 100_000 && (from / BATCH) % 10 === 9) log(`  ${label}: ${Math.min(total, from + BATCH).toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")}`);
    }
    log(`${label}: ${total.toLocaleString("en-GB")} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };

  // Staff. The first few are the benchmark's own people, with fixed email addresses.
  const userIds: string[] = [];
  const emailOf = (i: number) => (i === 0 ? "bench.staff@example.org" : i === 1 ? "bench.supporter@example.org"
    : i === 2 ? "bench.requester@example.org" : i === 3 ? "bench.coordinator@example.org" : i === 4 ? "bench.equality@example.org"
    : `staff.${i}@scale.example.org`);
  const insertUser = sqlite.prepare(
    "INSERT INTO users (id, name, email, job_title, department, site, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  batched("staff", size.staff, (i) => {
    const id = uuidFrom(next);
    userIds.push(id);
    insertUser.run(id, `${pick(FIRST)} ${pick(LAST)}`, emailOf(i), pick(RANKS), pick(DEPARTMENTS), pick(SITES), now.getTime() - Math.floor(next() * 1000) * DAY);
  });
  sqlite.prepare("INSERT INTO role_grants (user_id, role) VALUES (?, 'equality_unit')").run(userIds[4]);

  // Supporters: users 1 (the busy benchmark supporter) and 5 onwards. Most are active; some paused, lapsed, retired.
  const supporterIds: string[] = [];
  const insertSupporter = sqlite.prepare(
    `INSERT INTO supporters (id, user_id, status, role_title, site, introduction, working_pattern, trained_on, refresher_due, capacity)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAttribute = sqlite.prepare("INSERT OR IGNORE INTO supporter_attributes (supporter_id, kind, value) VALUES (?, ?, ?)");
  const supporterUsers: string[] = [];
  batched("supporters", size.supporters, (i) => {
    const userId = userIds[i === 0 ? 1 : i + 4] as string;
    const id = uuidFrom(next);
    const roll = next();
    const status = i === 0 || roll < 0.85 ? "active" : roll < 0.9 ? "paused" : roll < 0.97 ? "lapsed" : "retired";
    const trained = now.getTime() - Math.floor(next() * 700) * DAY;
    const due = status === "lapsed" ? now.getTime() - Math.floor(1 + next() * 60) * DAY : trained + 730 * DAY;
    insertSupporter.run(id, userId, status, pick(RANKS), pick(SITES),
      "I have been an equality supporter for some years and I am happy to listen, in confidence, to anyone who needs it.",
      "Weekdays, 8am to 4pm", isoDate(trained), isoDate(due), i === 0 ? 50 : 3);
    for (let k = 0; k < 1 + Math.floor(next() * 3); k += 1) insertAttribute.run(id, "specialism", pick(SPECIALISMS));
    if (next() < 0.4) insertAttribute.run(id, "language", pick(LANGUAGES));
    insertAttribute.run(id, "contact_method", "in_app");
    for (let k = 0; k < 2; k += 1) insertAttribute.run(id, "contact_method", pick(CONTACT_METHODS));
    supporterIds.push(id);
    supporterUsers.push(userId);
  });

  // Networks: the first is the big one, coordinated by the benchmark coordinator.
  const networkIds: string[] = [];
  const insertNetwork = sqlite.prepare(
    `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join, join_policy) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  batched("networks", size.networks, (i) => {
    const id = uuidFrom(next);
    networkIds.push(id);
    insertNetwork.run(id, `network-${String(i + 1).padStart(2, "0")}`, `Support Network ${i + 1}`, "A staff support network.",
      "We offer peer support, events and mentoring for colleagues.", "Anyone in the force.", "Ask to join here.", i % 2 ? "open" : "approval");
  });
  const insertCoordinator = sqlite.prepare("INSERT OR IGNORE INTO network_coordinators (network_id, user_id) VALUES (?, ?)");
  insertCoordinator.run(networkIds[0], userIds[3]);
  networkIds.forEach((id, i) => insertCoordinator.run(id, userIds[(i * 97 + 11) % size.staff]));

  // Memberships: bigNetworkMembers in the first network, the rest spread over the others, one row per person and
  // network (people 0–4 stay out so the benchmark's pages show a non-member's view except where it is the point).
  const insertMembership = sqlite.prepare(
    "INSERT INTO network_memberships (id, network_id, user_id, status, visibility, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  const others = size.networks - 1;
  const perOther = Math.ceil((size.memberships - size.bigNetworkMembers) / others);
  batched("memberships", size.memberships, (i) => {
    const big = i < size.bigNetworkMembers;
    const network = big ? 0 : 1 + Math.floor((i - size.bigNetworkMembers) / perOther);
    const index = big ? i : (i - size.bigNetworkMembers) % perOther;
    // Stride through the staff so each network's members are distinct people.
    const userId = userIds[5 + ((index * 7919 + network * 104_729) % (size.staff - 5))] as string;
    const roll = next();
    const status = roll < 0.95 ? "active" : roll < 0.98 ? "pending" : "declined";
    const at = now.getTime() - Math.floor(next() * 900) * DAY;
    insertMembership.run(uuidFrom(next), networkIds[network], userId, status, next() < 0.5 ? "visible" : "silent", at, status === "pending" ? null : at + DAY);
  });

  // Requests and messages. The benchmark requester's conversation with the busy supporter has 200 messages; the
  // busy supporter also has many requests in their inbox. Only a few requests per supporter are open (capacity).
  const insertRequest = sqlite.prepare(
    `INSERT INTO support_requests (id, requester_id, supporter_id, supporter_user_id, status, category, contact_method,
       message_cipher, outcome, limits_acknowledged_at, acknowledge_by, acknowledged_at, ended_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = sqlite.prepare("INSERT INTO request_messages (id, request_id, author_id, body_cipher, created_at) VALUES (?, ?, ?, ?, ?)");
  const requestIds: { id: string; requester: string; supporterUser: string; at: number }[] = [];
  const messageText = "Thank you for getting back to me. Could we talk later this week? Tuesday afternoon would suit me best.";
  const openPerSupporter = new Map<number, number>();
  batched("requests", size.requests, (i) => {
    const id = uuidFrom(next);
    // One in ten requests goes to the busy supporter, the rest spread over the roster.
    const s = i === 0 || next() < 0.1 ? 0 : Math.floor(next() * supporterIds.length);
    const requester = i === 0 ? (userIds[2] as string) : (userIds[5 + Math.floor(next() * (size.staff - 5))] as string);
    const created = i === 0 ? now.getTime() - 30 * DAY : now.getTime() - Math.floor(next() * 3 * 365 * DAY);
    const open = (openPerSupporter.get(s) ?? 0) < (s === 0 ? 40 : 2) && (i === 0 || next() < 0.05);
    let status: string = "closed";
    if (open) {
      openPerSupporter.set(s, (openPerSupporter.get(s) ?? 0) + 1);
      status = i === 0 ? "in_progress" : pick(["new", "acknowledged", "in_progress"]);
    } else {
      const roll = next();
      status = roll < 0.8 ? "closed" : roll < 0.92 ? "withdrawn" : "declined";
    }
    const acknowledged = status === "new" || (status === "withdrawn" && next() < 0.5) ? null : created + Math.floor(next() * 3 * DAY);
    const ended = open ? null : (acknowledged ?? created) + Math.floor(1 + next() * 40) * DAY;
    insertRequest.run(id, requester, supporterIds[s], supporterUsers[s], status, pick(CATEGORIES), "in_app",
      encryptField("I would like to talk to someone in confidence about how I have been treated at work.",
        { table: "support_requests", column: "message_cipher", rowId: id }),
      status === "closed" ? pick(OUTCOMES) : null, created, created + 2 * DAY, acknowledged, ended, created);
    requestIds.push({ id, requester, supporterUser: supporterUsers[s] as string, at: created });
  });
  const conversation = requestIds[0] as (typeof requestIds)[number];
  batched("messages", size.messages, (i) => {
    const request = i < 200 ? conversation : (requestIds[1 + Math.floor(next() * (requestIds.length - 1))] as (typeof requestIds)[number]);
    const id = uuidFrom(next);
    const author = i % 2 ? request.supporterUser : request.requester;
    insertMessage.run(id, request.id, author, encryptField(messageText, { table: "request_messages", column: "body_cipher", rowId: id }),
      request.at + (i < 200 ? i : Math.floor(next() * 1000)) * 60_000);
  });

  sqlite.pragma("foreign_keys = ON");
  const violations = sqlite.prepare("PRAGMA foreign_key_check").all();
  if (violations.length > 0) throw new Error(`scale seed broke ${violations.length} foreign keys`);
  sqlite.exec("ANALYZE");
  sqlite.pragma("journal_mode = WAL");
  sqlite.close();
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${file}`);

  const listed = Number(size.supporters);
  return {
    size,
    staff: { userId: userIds[0] as string, email: emailOf(0) },
    supporter: { userId: userIds[1] as string, email: emailOf(1), supporterId: supporterIds[0] as string },
    profileSupporterId: supporterIds[Math.floor(supporterIds.length / 2)] as string,
    requester: { userId: userIds[2] as string, email: emailOf(2) },
    conversationId: conversation.id,
    coordinator: { userId: userIds[3] as string, email: emailOf(3) },
    bigNetworkSlug: "network-01",
    equalityUnit: { userId: userIds[4] as string, email: emailOf(4) },
    // An upper bound: the directory shows listed supporters only; the bench reads the real last page from the app.
    lastDirectoryPage: Math.max(1, Math.ceil(listed / 20)),
  };
}
