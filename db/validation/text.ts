// Browsers send line breaks in a textarea as CRLF; count and store them as one character each, so a limit of
// 5,000 characters means what the person sees.
export const normaliseLines = (value: string): string => value.replace(/\r\n?/g, "\n");
