import { escapeMarkup } from "@/components/markup";
import type { RequestMessage, RequestView } from "@/db/queries/requests";
import { formatDateTime } from "./format";
import { messageTextMarkup } from "./message-text";

type Props = {
  messages: readonly RequestMessage[];
  erased: boolean;
  /** Which page of the conversation this is (page 1 is the latest messages) and a link to each page. */
  page?: RequestView["messagePage"];
  href?: (page: number) => string;
};

// Oldest first, like a letter exchange. The viewer's own messages are "You"; an anonymous requester is
// "Anonymous colleague" (the data access layer has already replaced the name). A long conversation shows its
// latest page, with a link to earlier messages above it (where they come in the reading order) and, on an earlier
// page, a link back to later ones below it. The messages are markup (components/markup.ts): a page of fifty as React
// elements was most of the conversation's render.
export function Conversation({ messages, erased, page, href }: Props) {
  if (messages.length === 0) {
    return <p className="govuk-body">{erased ? "The conversation was erased with the request." : "No messages yet."}</p>;
  }
  const paged = page && href && page.pageCount > 1 ? { ...page, href } : null;
  return (
    <>
      {paged && (
        <p className="govuk-body" id="conversation-range">
          Showing messages {paged.from} to {paged.to} of {paged.total}.
          {paged.page < paged.pageCount && (
            <>
              {" "}
              <a className="govuk-link" href={paged.href(paged.page + 1)}>
                Show earlier messages
              </a>
            </>
          )}
        </p>
      )}
      <ol
        className="govuk-list confide-conversation"
        aria-label="Messages, oldest first"
        dangerouslySetInnerHTML={{ __html: messages.map(messageMarkup).join("") }}
      />
      {paged && paged.page > 1 && (
        <p className="govuk-body">
          <a className="govuk-link" href={paged.href(paged.page - 1)}>
            Show later messages
          </a>
        </p>
      )}
    </>
  );
}

function messageMarkup(message: RequestMessage): string {
  return (
    `<li class='govuk-!-margin-bottom-6'><h3 class='govuk-heading-s govuk-!-margin-bottom-1'>${escapeMarkup(message.author)}</h3>` +
    `<p class='govuk-body-s govuk-!-margin-bottom-2'><time datetime='${message.at.toISOString()}'>${escapeMarkup(formatDateTime(message.at))}</time></p>` +
    `<div class='govuk-inset-text govuk-!-margin-top-0'>${messageTextMarkup(message.body)}</div></li>`
  );
}
