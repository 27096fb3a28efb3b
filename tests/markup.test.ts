import assert from "node:assert/strict";
import { test } from "node:test";

import { escapeMarkup, summaryListMarkup } from "@/components/markup";
import { messageTextMarkup } from "@/components/requests/message-text";

// Blocks written as markup strings (components/markup.ts) hold what people typed: names, introductions, and the
// words of a confidential conversation. None of it may become markup.
const HOSTILE = `<script>alert("x")</script> & <img src=x onerror=alert(1)> 'quoted'`;
const ESCAPED = "&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#60;img src=x onerror=alert(1)&#62; &#39;quoted&#39;";

test("escapeMarkup leaves no character that could open a tag, an entity or an attribute", () => {
  assert.equal(escapeMarkup(HOSTILE), ESCAPED);
  assert.doesNotMatch(escapeMarkup(HOSTILE), /[<>"']/);
});

test("a summary list escapes its keys and values", () => {
  const html = summaryListMarkup([{ key: HOSTILE, value: HOSTILE }]);
  assert.doesNotMatch(html, /<script|<img/i);
  assert.equal(html.split(ESCAPED).length, 3);
});

test("a message keeps its paragraphs and line breaks, and its words stay words", () => {
  const html = messageTextMarkup(`First line\r\nsecond ${HOSTILE}\n\n  \n\nNew paragraph\n`);
  assert.equal(
    html,
    `<p class='govuk-body confide-message-text'>First line<br>second ${ESCAPED}</p><p class='govuk-body confide-message-text'>New paragraph</p>`,
  );
  assert.equal(messageTextMarkup(" \n\n "), "", "nothing but space draws nothing");
});
