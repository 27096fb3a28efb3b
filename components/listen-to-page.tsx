"use client";

import { usePathname } from "next/navigation";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";

// "Listen to this page", as the force pages of the source documents offer: the browser's own speech synthesis reads
// the main content aloud (not the header, navigation or footer). Nothing is sent anywhere: no third-party reader.
//
// Without speech synthesis (or without JavaScript) the control does not exist at all: the server renders nothing,
// and it only appears once the page runs in a browser that has window.speechSynthesis, so nobody meets a button
// that does nothing.

const subscribeNothing = () => () => {};

function hasSpeechSynthesis(): boolean {
  return "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
}

// Some browsers stop a single long utterance after about 15 seconds, so the text is read in short pieces:
// line by line (headings, paragraphs, list items), and long lines sentence by sentence.
const PIECE_LENGTH = 220;

export function piecesOf(text: string): string[] {
  const pieces: string[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.replace(/\s+/g, " ").trim();
    if (!trimmed) continue;
    if (trimmed.length <= PIECE_LENGTH) {
      pieces.push(trimmed);
      continue;
    }
    let current = "";
    for (const sentence of trimmed.match(/[^.!?]+[.!?]*\s*/g) ?? [trimmed]) {
      if (current && current.length + sentence.length > PIECE_LENGTH) {
        pieces.push(current.trim());
        current = "";
      }
      current += sentence;
    }
    if (current.trim()) pieces.push(current.trim());
  }
  return pieces;
}

// The text people see in the main content, in reading order, leaving out this control itself. innerText follows
// the page's CSS, so hidden parts (a closed details element, an unchosen conditional question) are not read.
function mainContentText(): string {
  const main = document.getElementById("main-content");
  if (!main) return "";
  return Array.from(main.children)
    .filter((element): element is HTMLElement => element instanceof HTMLElement && !element.hasAttribute("data-listen-skip"))
    .map((element) => element.innerText)
    .join("\n");
}

export function ListenToPage() {
  const supported = useSyncExternalStore(subscribeNothing, hasSpeechSynthesis, () => false);
  const [speaking, setSpeaking] = useState(false);
  // Set when the browser has speech synthesis but could not speak (for example, no voice is installed).
  const [failed, setFailed] = useState(false);
  // Each reading has a number, so that the end of a cancelled reading cannot switch off a newer one.
  const reading = useRef(0);
  const pathname = usePathname();

  const stop = useCallback(() => {
    reading.current += 1;
    setSpeaking(false);
    if (hasSpeechSynthesis()) window.speechSynthesis.cancel();
  }, []);

  // Stop when the page changes (the layout, and so this control, stays mounted across navigation), when the page is
  // left (including Exit this page: nothing may go on reading Confide aloud on the neutral site) and on unmount.
  useEffect(() => {
    if (!supported) return;
    window.addEventListener("pagehide", stop);
    return () => {
      window.removeEventListener("pagehide", stop);
      stop();
    };
  }, [supported, pathname, stop]);

  if (!supported) return null;

  function listen() {
    const pieces = piecesOf(mainContentText());
    if (pieces.length === 0) return;
    window.speechSynthesis.cancel();
    reading.current += 1;
    const current = reading.current;
    const finished = () => {
      if (reading.current === current) setSpeaking(false);
    };
    const failedToSpeak = (event: SpeechSynthesisErrorEvent) => {
      // Stopping (ours, or another page's) is not a failure.
      if (reading.current === current && event.error !== "interrupted" && event.error !== "canceled") setFailed(true);
      finished();
    };
    setFailed(false);
    setSpeaking(true);
    pieces.forEach((piece, index) => {
      const utterance = new SpeechSynthesisUtterance(piece);
      utterance.lang = document.documentElement.lang || "en-GB";
      if (index === pieces.length - 1) utterance.onend = finished;
      // An error (no voice installed, or cancelled) ends the reading, whichever piece it happens on.
      utterance.onerror = failedToSpeak;
      window.speechSynthesis.speak(utterance);
    });
  }

  return (
    <div className="confide-listen" data-listen-skip="">
      <button
        type="button"
        className="govuk-button govuk-button--secondary confide-listen__button"
        onClick={speaking ? stop : listen}
      >
        {/* The label says what pressing it will do, so it changes while reading: screen readers announce the new
            label of the focused button. */}
        {speaking ? "Stop reading aloud" : "Listen to this page"}
      </button>
      {/* Always present, so that screen readers announce the message when it appears. */}
      <p className="govuk-body-s confide-listen__message" role="status">
        {failed && "Your browser could not read this page aloud. It may not have a voice installed."}
      </p>
    </div>
  );
}
