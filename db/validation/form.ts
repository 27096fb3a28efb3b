// A server action is a public endpoint: whoever posts to it chooses its arguments, not only the form React's client
// sends (a hand-made request can leave the form out, or pass a string or a number in its place). Anything that is
// not a form reads as an empty one, which the action's own checks then turn down like any incomplete form, rather
// than failing with a server error.
export function postedForm(posted: unknown): FormData {
  return posted instanceof FormData ? posted : new FormData();
}
