/** Time comes from here so services and tests agree on "now". */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
export const fixedClock = (at: Date): Clock => ({ now: () => new Date(at.getTime()) });
