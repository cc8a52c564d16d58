// Characters that send a YAML text to the full parser wherever they stand: the fast path's
// pre-scan looks for them in a whole text, and a literal block holding one is not cut out.

/** Tabs, carriage returns, control and Unicode line-break characters, a byte-order mark. */
// eslint-disable-next-line no-control-regex
export const FULL_PARSER_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufeff\u2028\u2029]/;
