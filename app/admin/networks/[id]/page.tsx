import type { Metadata } from "next";

import { AssignCoordinatorForm } from "@/components/admin-networks/assign-coordinator-form";
import { countLabel, JOIN_POLICY_LABELS, STATUS_LABELS } from "@/components/admin-networks/counts";
import { BackLink } from "@/components/govuk/back-link";
import { NotificationBanner } from "@/components/govuk/notification-banner";
import { SummaryList } from "@/components/govuk/summary-list";
import { Tag } from "@/components/govuk/tag";
import { Lines } from "@/components/network-console/lines";
import { getNetworkForAdmin } from "@/db/queries/network-admin";
import { NetworkPageQuery } from "@/db/validation/network-admin";
import { archiveNetworkAction, removeCoordinatorAction, restoreNetworkAction } from "../actions";
import { adminOrNotFound, networkIdOrNotFound, requireNetworkAdmin } from "../guard";

export const metadata: Metadata = { title: "Network \u2013 Networks \u2013 admin" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const OUTCOMES = {
  created: "Network created",
  updated: "Changes saved",
  archived: "Network archived. Staff can no longer see it; its memberships are kept.",
  restored: "Network restored. Staff can see it again.",
  "coordinator-assigned": "Coordinator assigned",
  "coordinator-removed": "Coordinator removed",
} as const;

export default async function AdminNetworkPage({ params, searchParams }: Props) {
  const viewer = await requireNetworkAdmin();
  const networkId = networkIdOrNotFound(viewer, (await params).id);
  const { outcome } = NetworkPageQuery.parse(await searchParams);
  const network = adminOrNotFound(viewer, () => getNetworkForAdmin(viewer, networkId));
  const archived = network.status === "archived";

  return (
    <>
      <BackLink href="/admin/networks">Back to networks</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {outcome && <NotificationBanner type="success" heading={OUTCOMES[outcome]} />}
          <h1 className="govuk-heading-l">
            <span className="govuk-caption-l">Network</span>
            {network.name}
          </h1>
          <p className="govuk-body">
            <Tag colour={archived ? "grey" : "green"}>{STATUS_LABELS[network.status]}</Tag>
          </p>

          <h2 className="govuk-heading-m">Membership</h2>
          <SummaryList
            rows={[
              { key: "Members", value: countLabel(network.members) },
              { key: "Requests waiting", value: countLabel(network.pending) },
            ]}
          />
          <p className="govuk-body">
            Only the network&rsquo;s coordinators can see who its members are. Counts under 5 are not shown.
          </p>

          <h2 className="govuk-heading-m">Details</h2>
          <SummaryList
            rows={[
              { key: "Name", value: network.name },
              { key: "Web address", value: `/networks/${network.slug}` },
              { key: "Summary", value: <Lines text={network.summary} /> },
              { key: "Description", value: <Lines text={network.description} /> },
              { key: "Who it is for", value: <Lines text={network.whoFor} /> },
              { key: "How to join", value: <Lines text={network.howToJoin} /> },
              { key: "What it offers", value: network.offers ? <Lines text={network.offers} /> : "Not given" },
              { key: "Contact mailbox", value: network.contactMailbox ?? "None" },
              { key: "Joining", value: JOIN_POLICY_LABELS[network.joinPolicy] },
            ]}
          />
          <p className="govuk-body">
            <a className="govuk-link" href={`/admin/networks/${network.id}/edit`}>
              Edit the network&rsquo;s details
            </a>
          </p>

          <h2 className="govuk-heading-m">Coordinators</h2>
          {network.coordinators.length === 0 ? (
            <p className="govuk-body">No coordinators are assigned.{network.joinPolicy === "approval" && " Nobody can approve requests to join until one is."}</p>
          ) : (
            <dl className="govuk-summary-list">
              {network.coordinators.map((coordinator) => (
                <div className="govuk-summary-list__row" key={coordinator.userId}>
                  <dt className="govuk-summary-list__key">{coordinator.name}</dt>
                  <dd className="govuk-summary-list__value">{coordinator.email}</dd>
                  <dd className="govuk-summary-list__actions">
                    <form action={removeCoordinatorAction}>
                      <input type="hidden" name="networkId" value={network.id} />
                      <input type="hidden" name="userId" value={coordinator.userId} />
                      <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                        Remove<span className="govuk-visually-hidden"> {coordinator.name} as coordinator</span>
                      </button>
                    </form>
                  </dd>
                </div>
              ))}
            </dl>
          )}
          <AssignCoordinatorForm networkId={network.id} />

          <h2 className="govuk-heading-m">{archived ? "Restore the network" : "Archive the network"}</h2>
          <p className="govuk-body">
            {archived
              ? "Staff will see the network again, and its coordinators will get their console back. Memberships are as they were."
              : "Staff will no longer see the network and its coordinators lose their console. Memberships are kept, so you can restore it later."}
          </p>
          <form action={archived ? restoreNetworkAction : archiveNetworkAction}>
            <input type="hidden" name="networkId" value={network.id} />
            <button type="submit" className={archived ? "govuk-button" : "govuk-button govuk-button--warning"}>
              {archived ? "Restore network" : "Archive network"}
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
