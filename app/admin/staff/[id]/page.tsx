import type { Metadata } from "next";
import Link from "next/link";

import { formatDateTime, plural, STATUS_LABELS } from "@/components/admin/roster-format";
import { StaffActionForm } from "@/components/admin-staff/staff-action-form";
import { StaffTags } from "@/components/admin-staff/staff-tags";
import { BackLink } from "@/components/govuk/back-link";
import { Button } from "@/components/govuk/button";
import { InsetText } from "@/components/govuk/inset-text";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { SummaryList } from "@/components/govuk/summary-list";
import type { StaffRecord } from "@/db/queries/staff-admin";
import { StaffRecordQuery } from "@/db/validation/staff-admin";
import { grantEqualityUnitAction, reinstateAction, revokeEqualityUnitAction } from "../actions";
import { loadStaffRecord } from "./load";

export const metadata: Metadata = { title: "Staff record \u2013 admin" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// A banner only while it is still true, so an old link or the back button cannot announce something undone since.
function stillTrue(record: StaffRecord, done: StaffRecordQuery["done"]): boolean {
  const leaver = record.deactivatedAt !== null;
  if (done === "left") return leaver;
  if (done === "reinstated") return !leaver;
  if (done === "granted") return record.equalityUnit;
  if (done === "revoked") return !record.equalityUnit;
  return false;
}

function Banner({ record, query }: { record: StaffRecord; query: StaffRecordQuery }) {
  if (!stillTrue(record, query.done)) return null;
  switch (query.done) {
    case "left": {
      const released = query.released ?? 0;
      return (
        <NotificationBanner type="success" heading={`${record.name} has been marked as a leaver`}>
          <ul className="govuk-list govuk-list--bullet">
            <li>They have been signed out and cannot sign in to Confide.</li>
            <li>They have been taken out of the supporter directory, any networks and any roles they had.</li>
            {record.supporter && (
              <li>
                {released === 0
                  ? "No requesters were waiting for them as a supporter."
                  : `${plural(released, "requester has", "requesters have")} been asked to choose another supporter.`}
              </li>
            )}
            <li>Any requests they had made themselves and that were still open have been withdrawn.</li>
          </ul>
        </NotificationBanner>
      );
    }
    case "reinstated":
      return (
        <NotificationBanner type="success" heading={`${record.name} has been reinstated`}>
          <p className="govuk-body">
            They can sign in again. Their networks, roles and place on the supporter roster have not been given back.
          </p>
        </NotificationBanner>
      );
    case "granted":
      return (
        <NotificationBanner type="success" heading={`${record.name} is now in the Equality Unit`}>
          <p className="govuk-body">The role works from the next page they open.</p>
        </NotificationBanner>
      );
    case "revoked":
      return (
        <NotificationBanner type="success" heading={`${record.name} is no longer in the Equality Unit`}>
          <p className="govuk-body">They lose access to the Equality Unit console from the next page they open.</p>
        </NotificationBanner>
      );
    default:
      return null;
  }
}

function supporterValue(record: StaffRecord) {
  if (!record.supporter) return "Not on the supporter roster";
  return (
    <Link className="govuk-link" href={`/admin/supporters/${record.supporter.id}`} prefetch={false}>
      {STATUS_LABELS[record.supporter.status]}
      <span className="govuk-visually-hidden">: their roster page</span>
    </Link>
  );
}

function coordinatesValue(record: StaffRecord) {
  if (record.coordinates.length === 0) return "No networks";
  return (
    <ul className="govuk-list govuk-!-margin-0">
      {record.coordinates.map((network) => (
        <li key={network.id}>
          <Link className="govuk-link" href={`/admin/networks/${network.id}`} prefetch={false}>
            {network.name}
          </Link>
          {network.archived && " (archived)"}
        </li>
      ))}
    </ul>
  );
}

function RoleSection({ record }: { record: StaffRecord }) {
  const leaver = record.deactivatedAt !== null;
  return (
    <>
      <h2 className="govuk-heading-m">Equality Unit role</h2>
      <p className="govuk-body">
        The Equality Unit runs the supporter roster, networks, staff records, reports and the audit log. A change to the
        role works from the next page the person opens.
      </p>
      {record.equalityUnit ? (
        record.isViewer && record.equalityUnitMembers <= 1 ? (
          <InsetText id="only-member">
            You are the only member of the Equality Unit, so you cannot remove the role from yourself. Give the role to
            someone else first.
          </InsetText>
        ) : (
          <>
            {record.isViewer && (
              <p className="govuk-body">If you remove the role from yourself, you lose access to this console at once.</p>
            )}
            <StaffActionForm
              action={revokeEqualityUnitAction}
              userId={record.id}
              id="revoke-role"
              label={record.isViewer ? "Remove the Equality Unit role from yourself" : "Remove the Equality Unit role"}
              variant="warning"
            />
          </>
        )
      ) : leaver ? (
        <p className="govuk-body">A leaver cannot be given the Equality Unit role. Reinstate them first.</p>
      ) : (
        <StaffActionForm action={grantEqualityUnitAction} userId={record.id} id="grant-role" label="Give them the Equality Unit role" variant="secondary" />
      )}
    </>
  );
}

function LeaverSection({ record }: { record: StaffRecord }) {
  if (record.deactivatedAt) {
    return (
      <>
        <h2 className="govuk-heading-m">Reinstate</h2>
        <p className="govuk-body">
          Reinstating lets them sign in again. It does not give back their networks, their roles or their place on the
          supporter roster: those have to be set up again.
        </p>
        <StaffActionForm action={reinstateAction} userId={record.id} id="reinstate" label="Reinstate" variant="secondary" />
      </>
    );
  }
  return (
    <>
      <h2 className="govuk-heading-m">Leaver</h2>
      {record.isViewer ? (
        <p className="govuk-body">You cannot mark yourself as a leaver. Ask another member of the Equality Unit.</p>
      ) : (
        <>
          <p className="govuk-body">
            When someone leaves the force, mark them as a leaver: they are signed out at once and can no longer sign in.
          </p>
          <Button href={`/admin/staff/${record.id}/leave`} variant="warning">
            Mark as a leaver
          </Button>
        </>
      )}
    </>
  );
}

export default async function StaffRecordPage({ params, searchParams }: Props) {
  const { record } = await loadStaffRecord(params);
  const query = StaffRecordQuery.parse(await searchParams);
  const leaver = record.deactivatedAt !== null;

  return (
    <>
      <BackLink href="/admin/staff">Back to staff records</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <Banner record={record} query={query} />
          <span className="govuk-caption-l">Staff record</span>
          <h1 className="govuk-heading-l">{record.name}</h1>
          <p className="govuk-body">
            <StaffTags leaver={leaver} equalityUnit={record.equalityUnit} />
          </p>
          <SummaryList
            rows={[
              { key: "Name", value: record.name },
              { key: "Email address", value: record.email },
              { key: "Rank or grade", value: record.jobTitle ?? "Not recorded" },
              { key: "Department", value: record.department ?? "Not recorded" },
              { key: "Site", value: record.site ?? "Not recorded" },
              { key: "Last signed in", value: record.lastSignInAt ? formatDateTime(record.lastSignInAt) : "Never" },
              ...(record.deactivatedAt ? [{ key: "Marked as a leaver", value: formatDateTime(record.deactivatedAt) }] : []),
              { key: "Supporter", value: supporterValue(record) },
              { key: "Equality Unit", value: record.equalityUnit ? "Yes" : "No" },
              { key: "Coordinator of", value: coordinatesValue(record) },
            ]}
          />
          <RoleSection record={record} />
          <LeaverSection record={record} />
        </div>
      </div>
    </>
  );
}
