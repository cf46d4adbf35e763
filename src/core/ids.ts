const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else is simply not found (never a parse error that reveals internals). */
export const isUuid = (s: string): boolean => UUID.test(s);
