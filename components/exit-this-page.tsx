"use client";

import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type MouseEvent } from "react";
import { createPortal } from "react-dom";

// Quick exit, after GOV.UK's "Exit this page" component but without its JavaScript, which uses location.href and
// so leaves Confide in the back button's history. Without JavaScript the button is an ordinary link to a neutral
// site. With JavaScript, the button and pressing Shift three times replace the current history entry, and the page
// is blanked at once so nothing stays on screen while the neutral site loads.

const PRESSES_TO_EXIT = 3;
// GOV.UK's timing: the count resets when Shift has not been pressed for 5 seconds.
const PRESS_TIMEOUT_MS = 5000;

type Props = { url: string };

const subscribeNothing = () => () => {};

/** False in the server's HTML and while hydrating, true once JavaScript runs. */
function useHasJavaScript(): boolean {
  return useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
}

export function ExitThisPage({ url }: Props) {
  const enhanced = useHasJavaScript();
  const [presses, setPresses] = useState(0);
  const [status, setStatus] = useState("");
  const [exiting, setExiting] = useState(false);
  const pressesRef = useRef(0);
  const resetTimer = useRef<number | undefined>(undefined);
  const clearStatusTimer = useRef<number | undefined>(undefined);

  const exit = useCallback(() => {
    setExiting(true);
    document.body.classList.add("govuk-exit-this-page-hide-content");
    window.location.replace(url);
  }, [url]);

  useEffect(() => {
    const setCount = (count: number) => {
      pressesRef.current = count;
      setPresses(count);
    };

    const reset = (announce: boolean) => {
      window.clearTimeout(resetTimer.current);
      resetTimer.current = undefined;
      if (pressesRef.current === 0) return;
      setCount(0);
      if (announce) {
        setStatus("Exit this page expired.");
        window.clearTimeout(clearStatusTimer.current);
        clearStatusTimer.current = window.setTimeout(() => setStatus(""), PRESS_TIMEOUT_MS);
      } else {
        setStatus("");
      }
    };

    const onKeyDown = (event: KeyboardEvent) => {
      // Only a Shift pressed on its own counts: holding it to type capitals repeats keydown, and a key pressed
      // between two Shifts (typing "Hello World") starts the count again.
      if (event.key !== "Shift" || event.repeat || event.ctrlKey || event.altKey || event.metaKey) {
        if (event.key !== "Shift") reset(false);
        return;
      }
      const count = pressesRef.current + 1;
      window.clearTimeout(clearStatusTimer.current);
      if (count >= PRESSES_TO_EXIT) {
        window.clearTimeout(resetTimer.current);
        setCount(0);
        exit();
        return;
      }
      setCount(count);
      setStatus(count === 1 ? "Shift, press 2 more times to exit." : "Shift, press 1 more time to exit.");
      window.clearTimeout(resetTimer.current);
      resetTimer.current = window.setTimeout(() => reset(true), PRESS_TIMEOUT_MS);
    };

    // If the browser restores this page from its cache (Back from the neutral site), show it again.
    const onPageShow = () => {
      document.body.classList.remove("govuk-exit-this-page-hide-content");
      setExiting(false);
      reset(false);
    };

    // Capture phase on the document, so that no other handler can stop the shortcut, wherever focus is.
    document.addEventListener("keydown", onKeyDown, true);
    window.addEventListener("pageshow", onPageShow);
    return () => {
      document.removeEventListener("keydown", onKeyDown, true);
      window.removeEventListener("pageshow", onPageShow);
      window.clearTimeout(resetTimer.current);
      window.clearTimeout(clearStatusTimer.current);
    };
  }, [exit]);

  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    exit();
  };

  return (
    // A named region, so that the button is inside a landmark (it comes before the header) and screen reader users
    // can jump to it from the landmarks list.
    <div className="govuk-exit-this-page confide-exit-this-page" role="region" aria-label="Quick exit">
      <a
        href={url}
        rel="nofollow noreferrer"
        className="govuk-button govuk-button--warning govuk-exit-this-page__button"
        draggable={false}
        onClick={onClick}
        aria-describedby={enhanced ? "exit-this-page-hint" : undefined}
      >
        Exit this page
        {enhanced && (
          <span
            className={`govuk-exit-this-page__indicator${presses > 0 ? " govuk-exit-this-page__indicator--visible" : ""}`}
            aria-hidden="true"
          >
            {[1, 2, 3].map((light) => (
              <span
                key={light}
                className={`govuk-exit-this-page__indicator-light${light <= presses ? " govuk-exit-this-page__indicator-light--on" : ""}`}
              />
            ))}
          </span>
        )}
      </a>
      {/* The shortcut only exists with JavaScript, so only then is it mentioned. */}
      {enhanced && (
        <span id="exit-this-page-hint" className="govuk-visually-hidden">
          Press Shift 3 times to exit this page
        </span>
      )}
      <span role="status" className="govuk-visually-hidden">
        {status}
      </span>
      {exiting &&
        createPortal(
          <div className="govuk-exit-this-page-overlay" role="alert">
            Loading.
          </div>,
          document.body,
        )}
    </div>
  );
}
