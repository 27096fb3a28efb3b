import type { Metadata } from "next";
import Link from "next/link";

import { STATUS_COLOURS, STATUS_LABELS, formatDateTime, formatLongDate, plural, refresherNote } from "@/components/admin/roster-format";
import { BackLink } from "@/components/govuk/back-link";
import { Button, ButtonGroup } from "@/components/govuk/button";
import { InsetText } from "@/components/govuk/inset-text";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { SummaryList } from "@/components/govuk/summary-list";
import { Table } from "@/components/govuk/table";
import { Tag } from "@/components/govuk/tag";
import { HISTORY_LIMIT } from "@/db/queries/roster";
import { today } from "@/lib/clock";
import { CONTACT_METHOD_LABELS } from "@/lib/vocabulary";
import { loadRosterSupporter } from "./load";

// The title never names the person: it shows in browser history and tab lists.
export const metadata: Metadata = { title: "Supporter on the roster" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const DONE: Record<string, string> = {
  added: "Added to the roster",
  updated: "Profile saved",
  status: "Status changed",
};

export default async function RosterSupporterPage({ params, searchParams }: Props) {
  const day = today();
  const { supporter: s } = await loadRosterSupporter(params, day);
  const doneKey = (await searchParams).done;
  const done = typeof doneKey === "string" ? DONE[doneKey] : undefined;
  const note = s.status === "active" || s.status === "paused" ? refresherNote(s.refresherDue, day) : null;
  const listed = (s.status === "active" || s.status === "paused") && !s.accountClosed && s.refresherDue >= day;
  const list = (items: readonly string[]) => (items.length === 0 ? "None" : items.join(", "));

  return (
    <>
      <BackLink href="/admin/supporters">Supporter roster</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {done && <NotificationBanner type="success" heading={done} />}
          <span className="govuk-caption-l">Supporter on the roster</span>
          <h1 className="govuk-heading-l">{s.name}</h1>
          <p className="govuk-body">
            <Tag colour={STATUS_COLOURS[s.status]}>{STATUS_LABELS[s.status]}</Tag>
            {s.accountClosed && (
              <>
                {" "}
                <Tag colour="grey">Account closed</Tag>
              </>
            )}
          </p>
          <p className="govuk-body">
            {listed ? (
              <>
                Shown in the directory.{" "}
                <Link href={`/supporters/${s.id}`} prefetch={false} className="govuk-link">
                  View their directory profile
                </Link>
              </>
            ) : (
              "Not shown in the directory."
            )}
          </p>
          <ButtonGroup>
            <Button href={`/admin/supporters/${s.id}/status`}>Change status</Button>
            <Button href={`/admin/supporters/${s.id}/edit`} variant="secondary">
              Edit profile
            </Button>
          </ButtonGroup>

          <h2 className="govuk-heading-m">Roster details</h2>
          <SummaryList
            rows={[
              { key: "Status", value: STATUS_LABELS[s.status] },
              { key: "Availability", value: s.availability },
              ...(s.status === "paused"
                ? [
                    { key: "Paused until", value: s.pausedUntil ? formatLongDate(s.pausedUntil) : "No end date" },
                    {
                      key: "Reason for pausing",
                      value: (
                        <>
                          {s.pauseReason || "None given"}
                          <br />
                          <span className="govuk-hint govuk-!-font-size-16">
                            Private: only they and the Equality Unit can see this.
                          </span>
                        </>
                      ),
                    },
                  ]
                : []),
              { key: "Trained on", value: formatLongDate(s.trainedOn) },
              {
                key: "Refresher due",
                value: (
                  <>
                    {formatLongDate(s.refresherDue)}
                    {note && (
                      <>
                        <br />
                        <strong>{note}</strong>
                      </>
                    )}
                  </>
                ),
              },
              {
                key: "Capacity",
                value: `${plural(s.capacity, "open request", "open requests")} at a time (${s.openRequests} open now)`,
              },
            ]}
          />

          <h2 className="govuk-heading-m">Profile</h2>
          <SummaryList
            rows={[
              { key: "Role or rank", value: s.roleTitle },
              { key: "Site", value: s.site },
              { key: "Specialisms", value: list(s.specialisms) },
              { key: "Languages", value: list(s.languages) },
              { key: "Ways to contact", value: list(s.contactMethods.map((m) => CONTACT_METHOD_LABELS[m])) },
              { key: "Introduction", value: s.introduction || "None" },
              { key: "Working pattern", value: s.workingPattern || "Not given" },
            ]}
          />

          <h2 className="govuk-heading-m">Staff record</h2>
          <SummaryList
            rows={[
              { key: "Email", value: s.email },
              { key: "Job title", value: s.jobTitle ?? "Not recorded" },
              { key: "Department", value: s.department ?? "Not recorded" },
            ]}
          />

          <h2 className="govuk-heading-m" id="history">
            Status history
          </h2>
          {s.history.length === 0 ? (
            <InsetText>No status changes have been recorded since they joined the roster.</InsetText>
          ) : (
            <>
              <Table
                caption="Status changes, most recent first"
                captionSize="s"
                head={[{ text: "Date" }, { text: "Change" }, { text: "Reason" }, { text: "By" }]}
                rows={s.history.map((e) => ({
                  key: e.id,
                  cells: [
                    formatDateTime(e.at),
                    e.fromStatus ? `${STATUS_LABELS[e.fromStatus]} to ${STATUS_LABELS[e.toStatus]}` : `Added as ${STATUS_LABELS[e.toStatus].toLowerCase()}`,
                    e.reason,
                    e.automatic ? "Automatic" : (e.actorName ?? "A former member of staff"),
                  ],
                }))}
              />
              {s.historyTotal > HISTORY_LIMIT && (
                <p className="govuk-body">
                  Showing the {HISTORY_LIMIT} most recent of {s.historyTotal} changes.
                </p>
              )}
            </>
          )}
        </div>
      </div>
    </>
  );
}
