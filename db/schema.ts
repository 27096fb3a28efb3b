import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Timestamps are integer milliseconds (Drizzle's timestamp_ms), which Auth.js' adapter expects for its tables.
const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);
const id = () => text("id").primaryKey().$defaultFn(() => crypto.randomUUID());

// ---------------------------------------------------------------------------------------------------------------
// Staff accounts and Auth.js tables
// ---------------------------------------------------------------------------------------------------------------

export const TEXT_SIZES = ["standard", "large", "larger"] as const;
export type TextSize = (typeof TEXT_SIZES)[number];

export const users = sqliteTable(
  "users",
  {
    id: id(),
    name: text("name"),
    email: text("email").notNull(),
    emailVerified: integer("email_verified", { mode: "timestamp_ms" }),
    image: text("image"),
    jobTitle: text("job_title"),
    department: text("department"),
    site: text("site"),
    textSize: text("text_size", { enum: TEXT_SIZES }).notNull().default("standard"),
    deactivatedAt: integer("deactivated_at", { mode: "timestamp_ms" }),
    lastSignInAt: integer("last_sign_in_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_unique").on(sql`lower(${t.email})`), index("users_name_idx").on(t.name)],
);

// The staff picker's search keys (db/queries/staff.ts): for every word of lower(name), its first 2 and its first 3
// characters, with the name for the picker's name order. Kept by triggers on users and filled for existing staff by
// db/migrations/0015_staff_name_keys.sql, so a search reads only the people sharing its key, however many staff.
export const staffNameKeys = sqliteTable(
  "staff_name_keys",
  {
    key: text("key").notNull(),
    name: text("name").notNull(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.key, t.name, t.userId] })],
);

// Current (not leaver) staff per site, for the roster's cover by site, kept current by triggers on users
// (db/migrations/0010_site_staff_counts.sql) so the count does not read every staff record.
export const siteStaffCounts = sqliteTable("site_staff_counts", {
  site: text("site").primaryKey(),
  n: integer("n").notNull(),
});

export const accounts = sqliteTable(
  "accounts",
  {
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    // Token columns exist because the adapter's table shape requires them; the adapter wrapper never stores tokens.
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_idx").on(t.userId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    sessionToken: text("session_token").primaryKey(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    // Sliding idle expiry, moved forward by Auth.js on activity.
    expires: integer("expires", { mode: "timestamp_ms" }).notNull(),
    // Fixed at sign-in; the absolute lifetime is measured from here.
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const verificationTokens = sqliteTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: integer("expires", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

export const ROLES = ["equality_unit"] as const;
export type Role = (typeof ROLES)[number];

export const roleGrants = sqliteTable(
  "role_grants",
  {
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    grantedBy: text("granted_by").references(() => users.id, { onDelete: "set null" }),
    grantedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

// ---------------------------------------------------------------------------------------------------------------
// Support networks
// ---------------------------------------------------------------------------------------------------------------

export const networks = sqliteTable(
  "networks",
  {
    id: id(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    summary: text("summary").notNull(),
    description: text("description").notNull(),
    whoFor: text("who_for").notNull(),
    howToJoin: text("how_to_join").notNull(),
    // What the network offers: events, mentoring, peer support.
    offers: text("offers").notNull().default(""),
    contactMailbox: text("contact_mailbox"),
    // "open" joins at once; "approval" waits for a coordinator.
    joinPolicy: text("join_policy", { enum: ["open", "approval"] }).notNull().default("approval"),
    status: text("status", { enum: ["active", "archived"] }).notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("networks_slug_unique").on(t.slug), index("networks_status_name_idx").on(t.status, t.name)],
);

export const networkCoordinators = sqliteTable(
  "network_coordinators",
  {
    networkId: text("network_id").notNull().references(() => networks.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    assignedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.userId] }), index("network_coordinators_user_idx").on(t.userId)],
);

export const networkMemberships = sqliteTable(
  "network_memberships",
  {
    id: id(),
    networkId: text("network_id").notNull().references(() => networks.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    // "declined" and "removed" rows are kept only so the person can read the coordinator's reason; they are not
    // members, and asking to join again replaces the row.
    status: text("status", { enum: ["pending", "active", "declined", "removed"] }).notNull(),
    // "silent" members are known only to the network's coordinators.
    visibility: text("visibility", { enum: ["visible", "silent"] }).notNull().default("silent"),
    // The person's optional note to the coordinators when asking to join; the coordinator's reason when declining
    // or removing. Seen only by the person and the network's coordinators.
    requestNote: text("request_note"),
    decisionReason: text("decision_reason"),
    requestedAt: createdAt(),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    // A copy of users.name, kept current by triggers on both tables (migration 0011), whatever code path writes.
    // The coordinator console lists a network's members by name a page at a time: with the name here, an index
    // gives that order directly instead of sorting all of a 5,000-member network's names on every page view.
    sortName: text("sort_name"),
  },
  (t) => [
    uniqueIndex("network_memberships_network_user_unique").on(t.networkId, t.userId),
    index("network_memberships_network_status_idx").on(t.networkId, t.status),
    index("network_memberships_network_status_name_idx").on(t.networkId, t.status, sql`${t.sortName} collate nocase`, t.id),
    // The console's pending requests, oldest first, a page at a time without sorting them all.
    index("network_memberships_network_status_requested_idx").on(t.networkId, t.status, t.requestedAt, t.id),
    index("network_memberships_user_idx").on(t.userId),
  ],
);

// Members per network, status and visibility, counting live accounts only (a leaver is nobody's member), so that
// pages show a network's size without counting its memberships on every request. Kept current by triggers on
// network_memberships and users (migration 0009), whatever code path writes; rows with n = 0 are deleted. No
// foreign key: a network's rows reach 0 and go as its memberships are cascaded away.
export const networkMemberCounts = sqliteTable(
  "network_member_counts",
  {
    networkId: text("network_id").notNull(),
    status: text("status", { enum: ["pending", "active", "declined", "removed"] }).notNull(),
    visibility: text("visibility", { enum: ["visible", "silent"] }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.networkId, t.status, t.visibility] })],
);

export const networkAnnouncements = sqliteTable(
  "network_announcements",
  {
    id: id(),
    networkId: text("network_id").notNull().references(() => networks.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("network_announcements_network_idx").on(t.networkId, t.createdAt)],
);

// ---------------------------------------------------------------------------------------------------------------
// Equality supporters
// ---------------------------------------------------------------------------------------------------------------

export const SUPPORTER_STATUSES = ["active", "paused", "lapsed", "retired"] as const;

export const supporters = sqliteTable(
  "supporters",
  {
    id: id(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: SUPPORTER_STATUSES }).notNull().default("active"),
    roleTitle: text("role_title").notNull(),
    site: text("site").notNull(),
    introduction: text("introduction").notNull().default(""),
    workingPattern: text("working_pattern").notNull().default(""),
    trainedOn: text("trained_on").notNull(), // ISO date
    refresherDue: text("refresher_due").notNull(), // ISO date
    pausedUntil: text("paused_until"), // ISO date
    pauseReason: text("pause_reason"), // private to the supporter and the Equality Unit
    capacity: integer("capacity").notNull().default(3),
    // Requests this supporter is carrying now (status new, acknowledged, in progress or handover pending), kept by
    // triggers on support_requests (migration 0012) so that capacity checks are a column read, not a count.
    openRequests: integer("open_requests").notNull().default(0),
    reminder60SentAt: integer("reminder_60_sent_at", { mode: "timestamp_ms" }),
    reminder14SentAt: integer("reminder_14_sent_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("supporters_user_unique").on(t.userId),
    index("supporters_status_refresher_idx").on(t.status, t.refresherDue),
    index("supporters_site_idx").on(t.site),
  ],
);

// Specialisms, languages and contact methods, one row each, so directory filters use an index.
export const supporterAttributes = sqliteTable(
  "supporter_attributes",
  {
    supporterId: text("supporter_id").notNull().references(() => supporters.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["specialism", "language", "contact_method"] }).notNull(),
    value: text("value").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.supporterId, t.kind, t.value] }),
    index("supporter_attributes_kind_value_idx").on(t.kind, t.value),
  ],
);

// The roster's history: every status change (by the Equality Unit, the supporter or maintenance) with its reason.
// Audit events point here by id, so the audit log itself stays free of free text.
export const supporterStatusEvents = sqliteTable(
  "supporter_status_events",
  {
    id: id(),
    supporterId: text("supporter_id").notNull().references(() => supporters.id, { onDelete: "cascade" }),
    fromStatus: text("from_status", { enum: SUPPORTER_STATUSES }),
    toStatus: text("to_status", { enum: SUPPORTER_STATUSES }).notNull(),
    reason: text("reason").notNull(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }), // null: maintenance
    at: createdAt(),
  },
  (t) => [index("supporter_status_events_supporter_idx").on(t.supporterId, t.at)],
);

// ---------------------------------------------------------------------------------------------------------------
// Confidential support requests. Columns ending in "Cipher" hold AES-256-GCM ciphertext (lib/crypto).
// ---------------------------------------------------------------------------------------------------------------

export const REQUEST_STATUSES = [
  "new",
  "acknowledged",
  "in_progress",
  "handover_pending",
  "closed",
  "withdrawn",
  "declined",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const supportRequests = sqliteTable(
  "support_requests",
  {
    id: id(),
    requesterId: text("requester_id").references(() => users.id, { onDelete: "set null" }),
    supporterId: text("supporter_id").notNull().references(() => supporters.id),
    // Denormalised from supporters so that the permission check is a single indexed comparison.
    supporterUserId: text("supporter_user_id").notNull().references(() => users.id),
    status: text("status", { enum: REQUEST_STATUSES }).notNull().default("new"),
    category: text("category", {
      enum: ["bullying_harassment", "discrimination", "unfair_treatment", "wellbeing", "other"],
    }).notNull(),
    protectedCharacteristic: text("protected_characteristic"),
    contactMethod: text("contact_method", { enum: ["in_app", "phone", "video", "in_person"] }).notNull(),
    anonymousToSupporter: integer("anonymous_to_supporter", { mode: "boolean" }).notNull().default(false),
    preferOutsideDepartment: integer("prefer_outside_department", { mode: "boolean" }).notNull().default(false),
    messageCipher: text("message_cipher"),
    safeContactCipher: text("safe_contact_cipher"),
    declineReasonCipher: text("decline_reason_cipher"),
    outcome: text("outcome"),
    handoverSupporterId: text("handover_supporter_id").references(() => supporters.id),
    limitsAcknowledgedAt: integer("limits_acknowledged_at", { mode: "timestamp_ms" }).notNull(),
    acknowledgeBy: integer("acknowledge_by", { mode: "timestamp_ms" }).notNull(),
    acknowledgedAt: integer("acknowledged_at", { mode: "timestamp_ms" }),
    reminderSentAt: integer("reminder_sent_at", { mode: "timestamp_ms" }),
    escalatedAt: integer("escalated_at", { mode: "timestamp_ms" }),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    erasedAt: integer("erased_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("support_requests_supporter_status_idx").on(t.supporterUserId, t.status),
    // A supporter's open requests (their handover and inbox lists); supporters.open_requests keeps the count.
    index("support_requests_supporter_id_status_idx").on(t.supporterId, t.status),
    index("support_requests_requester_idx").on(t.requesterId, t.createdAt),
    index("support_requests_status_created_idx").on(t.status, t.createdAt),
    index("support_requests_ended_idx").on(t.endedAt),
    // Reports: the exact median and 90th percentile, read from one histogram bucket of these (db/queries/reports.ts).
    index("support_requests_acknowledge_time_idx")
      .on(sql`(${t.acknowledgedAt} - ${t.createdAt})`, t.createdAt)
      .where(sql`${t.acknowledgedAt} is not null`),
    index("support_requests_close_time_idx")
      .on(sql`(${t.endedAt} - ${t.createdAt})`, t.createdAt)
      .where(sql`${t.status} = 'closed' and ${t.endedAt} is not null`),
  ],
);

// Roll-ups of support_requests for the Equality Unit's reports, kept current by triggers (migration 0009) on
// support_requests and on supporters (a supporter's site). Each request is counted twice: in its month period and in
// its day period. A month period is a UTC month less its last hour, or that last hour; a day period is a UTC day less
// its last hour, or that last hour. London's days start at 00:00 or 23:00 UTC, so every London day and month is a
// union of whole periods: a report range reads whole months, and days for the part months at its ends, without any
// time zone rules in SQL. What each row counts is defined once, by the views request_facts, request_rollup_source
// and request_duration_source, which the triggers, the backfill and the tests all read.
export const ROLLUP_GRAINS = ["month", "day"] as const;

export const requestRollup = sqliteTable(
  "request_rollup",
  {
    // "category": the request's category; "outcome": its status, or "closed:" and the outcome; "site": the
    // assigned supporter's site.
    dimension: text("dimension", { enum: ["category", "outcome", "site"] }).notNull(),
    grain: text("grain", { enum: ROLLUP_GRAINS }).notNull(),
    periodStart: integer("period_start").notNull(),
    value: text("value").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.dimension, t.grain, t.periodStart, t.value] }),
    // The key and the count: a range's rows are summed from this index alone.
    index("request_rollup_covering_idx").on(t.dimension, t.grain, t.periodStart, t.value, t.n),
  ],
);

// Histograms of the time to acknowledge and to close, per period. A bucket is named by its lower bound in whole
// minutes: 5 minutes wide below 100 minutes, then 45 buckets a decade (20, 200, 2,000 minutes wide...), each 2 to
// 20% as wide as the durations it holds. The histogram locates a percentile's bucket; the exact value is then read from that
// bucket alone through the duration indexes on support_requests, so the bucket width costs time, not precision.
export const requestDurationRollup = sqliteTable(
  "request_duration_rollup",
  {
    measure: text("measure", { enum: ["acknowledge", "close"] }).notNull(),
    grain: text("grain", { enum: ROLLUP_GRAINS }).notNull(),
    periodStart: integer("period_start").notNull(),
    bucket: integer("bucket").notNull(),
    n: integer("n").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.measure, t.grain, t.periodStart, t.bucket] }),
    // The key and the count: a range's histogram is summed from this index alone.
    index("request_duration_rollup_covering_idx").on(t.measure, t.grain, t.periodStart, t.bucket, t.n),
  ],
);

// People the requester said must not be involved.
export const requestExclusions = sqliteTable(
  "request_exclusions",
  {
    requestId: text("request_id").notNull().references(() => supportRequests.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.userId] })],
);

export const requestMessages = sqliteTable(
  "request_messages",
  {
    id: id(),
    requestId: text("request_id").notNull().references(() => supportRequests.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    bodyCipher: text("body_cipher").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("request_messages_request_idx").on(t.requestId, t.createdAt)],
);

// Non-identifying history kept for reports after content is erased.
export const requestStatusEvents = sqliteTable(
  "request_status_events",
  {
    id: id(),
    requestId: text("request_id").notNull().references(() => supportRequests.id, { onDelete: "cascade" }),
    fromStatus: text("from_status", { enum: REQUEST_STATUSES }),
    toStatus: text("to_status", { enum: REQUEST_STATUSES }).notNull(),
    actor: text("actor", { enum: ["requester", "supporter", "system"] }).notNull(),
    at: createdAt(),
  },
  (t) => [index("request_status_events_request_idx").on(t.requestId, t.at)],
);

// ---------------------------------------------------------------------------------------------------------------
// Notifications and mail: content-free by design; the link points to a page that checks permission again.
// ---------------------------------------------------------------------------------------------------------------

export const notifications = sqliteTable(
  "notifications",
  {
    id: id(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    link: text("link").notNull(),
    // An opaque reference (e.g. "4F2A91C0") shown beside the sentence, for an alert whose reader may not open
    // what it is about: the Equality Unit's "not acknowledged in time" alert names no request and no person.
    reference: text("reference"),
    createdAt: createdAt(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("notifications_user_unread_idx").on(t.userId, t.readAt)],
);

export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: id(),
    toAddress: text("to_address").notNull(),
    kind: text("kind").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("mail_outbox_pending_idx").on(t.sentAt, t.nextAttemptAt)],
);

// ---------------------------------------------------------------------------------------------------------------
// Audit log: append-only (triggers in the migrations refuse UPDATE and DELETE) and hash-chained (lib/audit).
// ---------------------------------------------------------------------------------------------------------------

export const auditEvents = sqliteTable(
  "audit_events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    objectType: text("object_type"),
    objectId: text("object_id"),
    outcome: text("outcome", { enum: ["success", "denied", "failure"] }).notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    index("audit_events_actor_idx").on(t.actorId, t.at),
    index("audit_events_action_idx").on(t.action, t.at),
    // The audit viewer's object filter (/admin/audit), newest first by seq without a sort.
    index("audit_events_object_idx").on(t.objectId),
  ],
);

// ---------------------------------------------------------------------------------------------------------------
// Equality Unit console: staff record imports and feedback
// ---------------------------------------------------------------------------------------------------------------

// One upload of the staff CSV. Rows are applied in batches after the upload returns, so the page can show progress;
// the file itself is never stored. `rejections` is a JSON array of { row, reason } (capped), for the report.
export const staffImports = sqliteTable(
  "staff_imports",
  {
    id: id(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    fileName: text("file_name").notNull(),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull().default("running"),
    totalRows: integer("total_rows").notNull().default(0),
    processedRows: integer("processed_rows").notNull().default(0),
    createdRows: integer("created_rows").notNull().default(0),
    updatedRows: integer("updated_rows").notNull().default(0),
    unchangedRows: integer("unchanged_rows").notNull().default(0),
    rejectedRows: integer("rejected_rows").notNull().default(0),
    rejections: text("rejections").notNull().default("[]"),
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("staff_imports_created_idx").on(t.createdAt)],
);

// Feedback to the Equality Unit. Anonymous feedback has no user id at all. The text is encrypted at rest
// (lib/crypto, column body_cipher) because people may describe their own experience in it.
export const feedback = sqliteTable(
  "feedback",
  {
    id: id(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    bodyCipher: text("body_cipher").notNull(),
    // Volunteering for focus groups needs a name to reply to, so it is only possible when not anonymous.
    volunteer: integer("volunteer", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    archivedBy: text("archived_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("feedback_archived_created_idx").on(t.archivedAt, t.createdAt), index("feedback_user_idx").on(t.userId)],
);

// Fixed-window counters for rate limits (staff search, requests, sign-in attempts).
export const rateLimits = sqliteTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: integer("window_start").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

// A counter per cached result set, moved by triggers whenever a row it is computed from changes (migration 0014), so
// that a cache can tell "unchanged" with one read, whichever process wrote (db/queries/cache.ts). "directory": the
// listed supporters and their facts.
export const dataVersions = sqliteTable("data_versions", {
  name: text("name").primaryKey(),
  version: integer("version").notNull().default(0),
});

export type User = typeof users.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
