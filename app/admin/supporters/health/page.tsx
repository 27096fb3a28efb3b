import type { Metadata } from "next";
import Link from "next/link";

import { STATUS_LABELS, daysBetween, formatLongDate, plural } from "@/components/admin/roster-format";
import { BackLink } from "@/components/govuk/back-link";
import { Table } from "@/components/govuk/table";
import { Tag } from "@/components/govuk/tag";
import { DUE_SOON_DAYS, getRosterHealth, type CoverageRow, type DueRow } from "@/db/queries/roster";
import { requireRole } from "@/lib/auth/session";
import { today } from "@/lib/clock";

export const metadata: Metadata = { title: "Roster health" };

// Where the roster needs attention: refreshers coming due or overdue, people paused or full, and the sites and
// specialisms with no one, or only one person, available. All from a few aggregate queries (db/queries/roster).

function coverTag(available: number) {
  if (available === 0) return <Tag colour="red">No one available</Tag>;
  if (available === 1) return <Tag colour="orange">Only 1 available</Tag>;
  return null;
}

function nameLink(row: DueRow) {
  return (
    <Link href={`/admin/supporters/${row.id}`} prefetch={false} className="govuk-link">
      {row.name}
    </Link>
  );
}

function coverageRows(rows: readonly (CoverageRow & { staff?: number })[]) {
  return rows.map((row) => ({
    key: row.name,
    cells: [
      row.name,
      ...(row.staff === undefined ? [] : [row.staff]),
      row.listed,
      row.available,
      coverTag(row.available) ?? "",
    ],
  }));
}

export default async function RosterHealthPage() {
  const viewer = await requireRole((u) => u.isEqualityUnit, "roster");
  const day = today();
  const health = getRosterHealth(viewer, day);
  const { counts } = health;
  const thinSites = health.bySite.filter((s) => s.available <= 1).length;
  const thinSpecialisms = health.bySpecialism.filter((s) => s.available <= 1).length;

  return (
    <>
      <BackLink href="/admin/supporters">Supporter roster</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Equality Unit</span>
          <h1 className="govuk-heading-l">Roster health</h1>
          <p className="govuk-body">As at {formatLongDate(day)}.</p>
        </div>
      </div>

      <Table
        caption="Summary"
        captionSize="m"
        firstCellIsHeader
        head={[{ text: "Measure" }, { text: "Supporters", numeric: true }]}
        rows={[
          { key: "dueSoon", cells: [`Refresher due within ${DUE_SOON_DAYS} days`, counts.dueSoon] },
          { key: "overdue", cells: ["Refresher overdue, not yet lapsed", counts.overdue] },
          { key: "lapsed", cells: ["Lapsed", counts.lapsed] },
          { key: "paused", cells: ["Paused", counts.paused] },
          { key: "atCapacity", cells: ["At capacity", counts.atCapacity] },
          { key: "listed", cells: ["Listed in the directory", counts.listed] },
          { key: "available", cells: ["Available for new requests", counts.available] },
          { key: "retired", cells: ["Retired", counts.retired] },
          ...(counts.leavers > 0 ? [{ key: "leavers", cells: ["Left the force but still active or paused", counts.leavers] }] : []),
        ]}
      />

      <h2 className="govuk-heading-m" id="due-soon">
        Refresher due within {DUE_SOON_DAYS} days
      </h2>
      {health.dueSoon.length === 0 ? (
        <p className="govuk-body">No one&apos;s refresher is due in the next {DUE_SOON_DAYS} days.</p>
      ) : (
        <Table
          caption={`Supporters whose refresher is due within ${DUE_SOON_DAYS} days, soonest first`}
          head={[{ text: "Name" }, { text: "Site" }, { text: "Status" }, { text: "Refresher due" }, { text: "When" }]}
          rows={health.dueSoon.map((row) => {
            const days = daysBetween(day, row.refresherDue);
            return {
              key: row.id,
              cells: [
                nameLink(row),
                row.site,
                STATUS_LABELS[row.status],
                formatLongDate(row.refresherDue),
                days === 0 ? "Due today" : `Due in ${plural(days, "day", "days")}`,
              ],
            };
          })}
        />
      )}

      <h2 className="govuk-heading-m" id="overdue">
        Refresher overdue
      </h2>
      <p className="govuk-body">
        These supporters are already hidden from the directory. Maintenance lapses them within the hour; change their status
        yourself if you know more.
      </p>
      {health.overdue.length === 0 ? (
        <p className="govuk-body">No active or paused supporter has an overdue refresher.</p>
      ) : (
        <Table
          caption="Supporters whose refresher is overdue, most overdue first"
          head={[{ text: "Name" }, { text: "Site" }, { text: "Status" }, { text: "Refresher was due" }, { text: "Overdue by" }]}
          rows={health.overdue.map((row) => ({
            key: row.id,
            cells: [
              nameLink(row),
              row.site,
              STATUS_LABELS[row.status],
              formatLongDate(row.refresherDue),
              plural(daysBetween(row.refresherDue, day), "day", "days"),
            ],
          }))}
        />
      )}

      <h2 className="govuk-heading-m" id="by-site">
        Cover by site
      </h2>
      <p className="govuk-body">
        {thinSites === 0
          ? "Every site has at least 2 supporters available."
          : `${plural(thinSites, "site has", "sites have")} no one, or only one person, available.`}{" "}
        Listed supporters appear in the directory; available ones can take a new request today.
      </p>
      <Table
        caption="Supporters by site"
        firstCellIsHeader
        head={[
          { text: "Site" },
          { text: "Staff", numeric: true },
          { text: "Listed", numeric: true },
          { text: "Available", numeric: true },
          { text: "Cover" },
        ]}
        rows={coverageRows(health.bySite)}
      />

      <h2 className="govuk-heading-m" id="by-specialism">
        Cover by specialism
      </h2>
      <p className="govuk-body">
        {thinSpecialisms === 0
          ? "Every specialism has at least 2 supporters available."
          : `${plural(thinSpecialisms, "specialism has", "specialisms have")} no one, or only one person, available.`}
      </p>
      <Table
        caption="Supporters by specialism"
        firstCellIsHeader
        head={[{ text: "Specialism" }, { text: "Listed", numeric: true }, { text: "Available", numeric: true }, { text: "Cover" }]}
        rows={coverageRows(health.bySpecialism)}
      />
    </>
  );
}
