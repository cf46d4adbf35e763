/** Strings that break naive SQL, HTML, JSON, C and log handling. Every one is synthetic. */
export const INJECTIONS: Array<{ kind: string; value: string }> = [
  { kind: "SQL quote", value: "O'Brien'); DROP TABLE incident; --" },
  { kind: "SQL tautology", value: "' OR '1'='1" },
  { kind: "SQL stacked", value: "1; DELETE FROM audit_event WHERE true; SELECT pg_sleep(5); --" },
  { kind: "SQL comment and backslash", value: "\\'; /* */ TRUNCATE person CASCADE; --" },
  { kind: "HTML script", value: '<script>alert("x")</script><img src=x onerror=alert(1)>' },
  { kind: "JSON", value: '{"$gt": "", "__proto__": {"admin": true}, "constructor": {"prototype": {}}}' },
  { kind: "null byte", value: "before\u0000after" },
  { kind: "format string", value: "%s%s%s%n%x %d ${process.env} {{7*7}} #{7*7}" },
  { kind: "unicode", value: "Zoë 😀 中文 עברית العربية \u202E\u200B ".repeat(4) },
  { kind: "long unicode", value: "Zoë 😀 中文 עברית العربية \u202E\u200B ".repeat(400) },
  { kind: "control characters", value: "line1\r\nline2\tTab\u0007\u001b[31mred\u001b[0m" },
  { kind: "path", value: "../../../../etc/passwd" },
  { kind: "lone surrogate", value: "half \uD83D of an emoji" },
];
