import { archiveFeedbackAction, restoreFeedbackAction } from "@/app/admin/feedback/actions";
import { Tag } from "@/components/govuk/tag";
import { Lines } from "@/components/network-console/lines";
import type { FeedbackItem } from "@/db/queries/feedback";
import { topicLabel } from "@/db/validation/feedback";

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });

export function formatFeedbackDate(date: Date): string {
  return dateFormat.format(date);
}

type Props = { item: FeedbackItem; page: number };

// One piece of feedback as a GOV.UK summary card, with its archive (or restore) button. The button's hidden text
// says which feedback it acts on, as a page has up to 20 of them.
export function FeedbackCard({ item, page }: Props) {
  const date = formatFeedbackDate(item.createdAt);
  const from = item.sender ? item.sender.name : "an anonymous colleague";
  const archived = item.archivedAt !== null;
  return (
    <div className="govuk-summary-card">
      <div className="govuk-summary-card__title-wrapper">
        <h2 className="govuk-summary-card__title">
          {date}: {topicLabel(item.topic)}
        </h2>
        <ul className="govuk-summary-card__actions">
          <li className="govuk-summary-card__action">
            <form action={archived ? restoreFeedbackAction : archiveFeedbackAction}>
              <input type="hidden" name="feedbackId" value={item.id} />
              <input type="hidden" name="page" value={page} />
              <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                {archived ? "Restore" : "Archive"}
                <span className="govuk-visually-hidden">
                  {" "}
                  feedback from {from}, {date}
                </span>
              </button>
            </form>
          </li>
        </ul>
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">From</dt>
            <dd className="govuk-summary-list__value">
              {item.sender ? (
                <>
                  {item.sender.name}
                  <br />
                  <a className="govuk-link" href={`mailto:${item.sender.email}`}>
                    {item.sender.email}
                  </a>
                </>
              ) : (
                <Tag colour="grey">Anonymous</Tag>
              )}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Focus groups</dt>
            <dd className="govuk-summary-list__value">
              {item.volunteer ? <Tag colour="green">Volunteers for focus groups</Tag> : "Did not volunteer"}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Feedback</dt>
            <dd className="govuk-summary-list__value">
              {item.text === null ? "This feedback could not be read. Tell the service desk." : <Lines text={item.text} />}
            </dd>
          </div>
        </dl>
      </div>
    </div>
  );
}
