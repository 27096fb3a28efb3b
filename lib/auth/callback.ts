// Only a path on this site may be a destination after sign-in. "//evil.example" is a protocol-relative URL to
// another site; browsers treat a backslash as "/" and silently drop tabs and newlines ("/\t/evil.example" becomes
// "//evil.example"), so backslashes and control characters are refused too, along with anything absolute.
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(value)) return "/";
  return value;
}
